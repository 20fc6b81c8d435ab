/** Every target extension nfwalk models, one file each. */
import type { TargetExtension } from "../types.js";
import { DNAT } from "./DNAT.js";
import { MASQUERADE } from "./MASQUERADE.js";
import { REDIRECT } from "./REDIRECT.js";
import { SNAT } from "./SNAT.js";
import { ACCEPT, DROP, QUEUE, RETURN } from "./standard.js";

export const TARGET_EXTENSIONS: readonly TargetExtension[] = [
  ACCEPT,
  DROP,
  RETURN,
  QUEUE,
  DNAT,
  SNAT,
  MASQUERADE,
  REDIRECT,
];
