/** A small helper for building the page's elements from code, text always set as text (never parsed as HTML). */
export type Child = Node | string | false | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | number | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) if (child !== false && child !== undefined) element.append(child);
  return element;
}

/** The element with this id, which index.html must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no #${id}`);
  return element as T;
}

/** Replaces an element's children with the given ones, leaving out the absent (`cond && node`, `cond ? node : undefined`). */
export function fill(element: HTMLElement, ...children: Child[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string => c !== false && c !== undefined));
}
