/** The examples of examples/gallery.json with their files' text, made by the gallery plugin in vite.config.ts. */
declare module "virtual:gallery" {
  import type { Lesson } from "./protocol.ts";
  const gallery: readonly (Lesson & { readonly id: string; readonly title: string; readonly lesson: string })[];
  export default gallery;
}
