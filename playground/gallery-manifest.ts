/**
 * examples/gallery.json, the playground's gallery: for each example its rules, its host and
 * the packet it opens with. The page's build reads it (vite.config.ts), and the browser tests
 * run the same inputs through the command.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** One example; file paths are relative to examples/. */
export interface GalleryEntry {
  readonly id: string;
  readonly title: string;
  /** What the example shows, in a sentence or two. */
  readonly lesson: string;
  readonly rules: string;
  readonly addr: string;
  readonly route: string;
  readonly sysctls: readonly string[];
  readonly packet: string;
  /** The interface the packet arrives on; or `local`: a process on the host sends it. */
  readonly in?: string;
  readonly local?: true;
}

export const EXAMPLES = resolve(import.meta.dirname, "../examples");
export const GALLERY_FILE = resolve(EXAMPLES, "gallery.json");

export function readGallery(): GalleryEntry[] {
  return JSON.parse(readFileSync(GALLERY_FILE, "utf8")) as GalleryEntry[];
}
