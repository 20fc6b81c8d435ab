/**
 * The whole lesson in the URL's fragment, so that a link reproduces it: the lesson as JSON,
 * compressed (deflate-raw) and written in base64url, after `#l=`. The fragment never leaves
 * the browser, so a lesson is not sent to whatever serves the page.
 */
import type { Lesson } from "./protocol.ts";

const PREFIX = "#l=";
/** The lesson's shape in links; a later shape gets a new number and old links still read. */
const VERSION = 1;

interface Stored extends Lesson {
  readonly v: typeof VERSION;
  /** The step shown, 0-based. */
  readonly step: number;
  /** The branch shown, 0-based, when the trace forks. */
  readonly branch: number;
  /** Whose path is shown. */
  readonly view: "packet" | "reply";
}

export interface LinkState {
  readonly lesson: Lesson;
  readonly step: number;
  readonly branch: number;
  readonly view: "packet" | "reply";
}

export async function encodeState(state: LinkState): Promise<string> {
  const stored: Stored = { v: VERSION, ...state.lesson, step: state.step, branch: state.branch, view: state.view };
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(stored)), new CompressionStream("deflate-raw"));
  return PREFIX + base64url(bytes);
}

/** The state in a fragment, or undefined when the fragment holds none (or one that cannot be read). */
export async function decodeState(fragment: string): Promise<LinkState | undefined> {
  if (!fragment.startsWith(PREFIX)) return undefined;
  try {
    const bytes = await pipe(fromBase64url(fragment.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
    const stored = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Stored>;
    if (stored.v !== VERSION) return undefined;
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    const count = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0);
    const lesson: Lesson = {
      rulesName: text(stored.rulesName) || "rules.v4",
      rules: text(stored.rules),
      addr: text(stored.addr),
      route: text(stored.route),
      sysctls: text(stored.sysctls),
      packet: text(stored.packet),
      from: text(stored.from) || "local",
    };
    return { lesson, step: count(stored.step), branch: count(stored.branch), view: stored.view === "reply" ? "reply" : "packet" };
  } catch {
    return undefined;
  }
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
