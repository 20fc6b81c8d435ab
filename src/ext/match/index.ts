/** Every match extension nfwalk models, one file each. */
import type { MatchExtension } from "../types.js";
import { comment } from "./comment.js";
import { limit } from "./limit.js";
import { tcp } from "./tcp.js";

export const MATCH_EXTENSIONS: readonly MatchExtension[] = [
  // protocols
  tcp,
  // end protocols
  // general
  comment,
  limit,
  // end general
];
