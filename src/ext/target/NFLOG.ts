/**
 * `-j NFLOG` (libxt_NFLOG, kernel xt_NFLOG): hand the packet to a netlink
 * log group and go on with the next rule. iptables-nft turns it into nf_tables'
 * own log expression, which is why it differs from libxt_NFLOG's save: the
 * threshold defaults to 0, the prefix holds 127 bytes, and the old
 * `--nflog-range` (which never had an effect) is dropped.
 */
import type { TargetExtension } from "../types.js";
import { parseUInt, saveString } from "../values.js";
import { truncateUtf8 } from "../utf8.js";

/** nf_tables' log expression has no threshold unless one is given. */
const DEFAULT_THRESHOLD = 0;
/** NF_LOG_PREFIXLEN 128 with the NUL. */
const PREFIX_BYTES = 127;

export interface NflogOptions {
  readonly group: number;
  readonly prefix: string;
  /** Bytes of each packet to copy (--nflog-size); all when undefined. */
  readonly size: number | undefined;
  readonly threshold: number;
}

export const NFLOG: TargetExtension<NflogOptions> = {
  kind: "target",
  name: "NFLOG",
  options: [
    { name: "nflog-group", args: 1 },
    { name: "nflog-prefix", args: 1 },
    { name: "nflog-range", args: 1 },
    { name: "nflog-size", args: 1 },
    { name: "nflog-threshold", args: 1 },
  ],
  parse(uses, ctx) {
    let options: NflogOptions = { group: 0, prefix: "", size: undefined, threshold: DEFAULT_THRESHOLD };
    for (const use of uses) {
      const arg = use.args[0]!;
      switch (use.spec.name) {
        case "nflog-group":
          options = { ...options, group: parseUInt(ctx, arg, "--nflog-group", 0, 0xffff) };
          break;
        case "nflog-prefix":
          if (arg.text === "") ctx.fail(arg, "--nflog-prefix needs at least one character", "bad-value");
          options = { ...options, prefix: truncateUtf8(arg.text, PREFIX_BYTES) };
          break;
        case "nflog-range":
        case "nflog-size": {
          const bytes = parseUInt(ctx, arg, `--${use.spec.name}`, 0, 0xffffffff);
          if (uses.some((u) => u.spec.name === "nflog-range") && uses.some((u) => u.spec.name === "nflog-size")) {
            ctx.fail(use.at, "--nflog-size and --nflog-range exclude each other", "conflicting-options");
          }
          if (use.spec.name === "nflog-size") options = { ...options, size: bytes };
          else ctx.warn(use.at, "--nflog-range has never had an effect and iptables-nft drops it; --nflog-size is its replacement", "ignored-option");
          break;
        }
        case "nflog-threshold":
          options = { ...options, threshold: parseUInt(ctx, arg, "--nflog-threshold", 0, 0xffff) };
          break;
      }
    }
    return options;
  },
  save(o) {
    let text = o.prefix === "" ? "" : ` --nflog-prefix${saveString(o.prefix)}`;
    if (o.group !== 0) text += ` --nflog-group ${o.group}`;
    if (o.size !== undefined) text += ` --nflog-size ${o.size}`;
    if (o.threshold !== DEFAULT_THRESHOLD) text += ` --nflog-threshold ${o.threshold}`;
    return text;
  },
  // nflog_tg → nf_log_packet(NF_LOG_TYPE_ULOG): a copy goes to the netlink group, the walk goes on.
  apply: (o) => ({
    kind: "continue",
    note: `NFLOG: a copy ${o.size === undefined ? "" : `(first ${o.size} bytes) `}goes to netlink log group ${o.group}${o.prefix === "" ? "" : ` with prefix "${o.prefix}"`} (read by ulogd, tcpdump -i nflog:${o.group}, …)`,
  }),
};
