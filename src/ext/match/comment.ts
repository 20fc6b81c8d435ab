/** `-m comment --comment TEXT` (libxt_comment, xt_comment): always matches. */
import type { MatchExtension } from "../types.js";
import { saveString } from "../values.js";
import { utf8Length } from "../utf8.js";
import { whole } from "../set-semantics.js";
import { EVERYTHING } from "../../sets/packet-set.js";

/** The kernel keeps at most 255 bytes (XT_MAX_COMMENT_LEN 256 with the NUL). */
const MAX_COMMENT_BYTES = 255;

export interface CommentOptions {
  readonly text: string;
}

/** The options last made, shared with the next rule when it says the same (kube-proxy writes each endpoint's rules one after the other with one comment). */
let lastComment: CommentOptions = { text: "" };

export const comment: MatchExtension<CommentOptions> = {
  kind: "match",
  name: "comment",
  options: [{ name: "comment", args: 1 }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m comment needs --comment TEXT", "missing-option");
    const text = use.args[0]!.text;
    // A UTF-16 unit takes at most 3 bytes in UTF-8: short comments need no count.
    if (text.length * 3 > MAX_COMMENT_BYTES && utf8Length(text) > MAX_COMMENT_BYTES) {
      ctx.fail(use.args[0]!, `comment is longer than ${MAX_COMMENT_BYTES} bytes`, "bad-value");
    }
    // Not frozen: freezing costs more than making the object.
    if (text !== lastComment.text) lastComment = { text };
    return lastComment;
  },
  save: (o) => ` --comment${saveString(o.text)}`,
  match: () => true,
  matchSet: () => whole(true),
  headerOnly: () => ({ set: EVERYTHING, laterFragments: true }),
};
