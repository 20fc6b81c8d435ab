/** Every target extension nfwalk models, one file each. */
import type { TargetExtension } from "../types.js";
import { ACCEPT, DROP, QUEUE, RETURN } from "./standard.js";

export const TARGET_EXTENSIONS: readonly TargetExtension[] = [
  ACCEPT,
  DROP,
  RETURN,
  QUEUE,
  // more targets
];
