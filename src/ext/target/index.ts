/** Every target extension nfwalk models, one file each. */
import type { TargetExtension } from "../types.js";
import { CONNMARK } from "./CONNMARK.js";
import { DNAT } from "./DNAT.js";
import { LOG } from "./LOG.js";
import { MARK } from "./MARK.js";
import { MASQUERADE } from "./MASQUERADE.js";
import { NFLOG } from "./NFLOG.js";
import { REDIRECT } from "./REDIRECT.js";
import { REJECT_IPV4, REJECT_IPV6 } from "./REJECT.js";
import { SNAT } from "./SNAT.js";
import { ACCEPT, DROP, QUEUE, RETURN } from "./standard.js";

export const TARGET_EXTENSIONS: readonly TargetExtension[] = [
  ACCEPT,
  DROP,
  RETURN,
  QUEUE,
  REJECT_IPV4,
  REJECT_IPV6,
  MASQUERADE,
  DNAT,
  SNAT,
  REDIRECT,
  LOG,
  NFLOG,
  MARK,
  CONNMARK,
];
