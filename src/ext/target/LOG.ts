/**
 * `-j LOG` (libxt_LOG, kernel xt_LOG): log the packet to the kernel log and
 * go on with the next rule. iptables-save prints the level as a number and
 * leaves out the default level 4 (warning).
 */
import { formatAddress } from "../../packet/format.js";
import { hasPorts } from "../../packet/packet.js";
import type { TargetEnv } from "../semantics.js";
import type { TargetExtension } from "../types.js";
import { parseCNumber, saveString } from "../values.js";
import { truncateUtf8 } from "../utf8.js";

/** The kernel's XT_LOG_* flag bits, in the order iptables-save prints them. */
const LOG_FLAGS = ["log-tcp-sequence", "log-tcp-options", "log-ip-options", "log-uid", "log-macdecode"] as const;
export type LogFlag = (typeof LOG_FLAGS)[number];

/** syslog names iptables accepts for --log-level (xtopt_parse_sysloglevel); a Map, so that "constructor" is no level. */
const LEVEL_NAMES: ReadonlyMap<string, number> = new Map([
  ["emerg", 0],
  ["panic", 0],
  ["alert", 1],
  ["crit", 2],
  ["error", 3],
  ["warning", 4],
  ["notice", 5],
  ["info", 6],
  ["debug", 7],
]);

const DEFAULT_LEVEL = 4;
/** `char prefix[30]` in xt_log_info: iptables silently keeps the first 29 bytes. */
const PREFIX_BYTES = 29;

export interface LogOptions {
  /** syslog level 0–7. */
  readonly level: number;
  readonly prefix: string;
  readonly flags: ReadonlySet<LogFlag>;
}

export const LOG: TargetExtension<LogOptions> = {
  kind: "target",
  name: "LOG",
  options: [{ name: "log-level", args: 1 }, { name: "log-prefix", args: 1 }, ...LOG_FLAGS.map((name) => ({ name, args: 0 as const }))],
  parse(uses, ctx) {
    let level = DEFAULT_LEVEL;
    let prefix = "";
    const flags = new Set<LogFlag>();
    for (const use of uses) {
      const arg = use.args[0];
      if (use.spec.name === "log-level") {
        const number = parseCNumber(arg!.text);
        level = number !== undefined && number <= 7n ? Number(number) : (LEVEL_NAMES.get(arg!.text) ?? ctx.fail(arg!, `log level "${arg!.text}" unknown`, "bad-value"));
      } else if (use.spec.name === "log-prefix") {
        if (arg!.text === "") ctx.fail(arg!, "--log-prefix needs at least one character", "bad-value");
        prefix = truncateUtf8(arg!.text, PREFIX_BYTES);
        if (prefix !== arg!.text) ctx.warn(arg!, `iptables keeps only the first ${PREFIX_BYTES} bytes of a log prefix: "${prefix}"`, "truncated-value");
      } else {
        flags.add(use.spec.name as LogFlag);
      }
    }
    return { level, prefix, flags };
  },
  save(o) {
    let text = o.prefix === "" ? "" : ` --log-prefix${saveString(o.prefix)}`;
    if (o.level !== DEFAULT_LEVEL) text += ` --log-level ${o.level}`;
    for (const flag of LOG_FLAGS) if (o.flags.has(flag)) text += ` --${flag}`;
    return text;
  },
  // log_tg → nf_log_packet: one kernel log line, then the next rule (XT_CONTINUE).
  apply: (o, env) => ({ kind: "continue", note: `LOG at level ${o.level} (${LEVEL_LABELS[o.level]}): "${logLine(o.prefix, env)}"` }),
};

/** printk's name of each syslog level. */
const LEVEL_LABELS = ["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"] as const;

/**
 * The start of the line nf_log_ip_packet / nf_log_ip6_packet write: the
 * prefix, the interfaces, the addresses and the transport; the fields nfwalk
 * does not know (MAC, LEN details, ID, window, …) are shown as "…".
 */
function logLine(prefix: string, env: TargetEnv): string {
  const p = env.packet;
  const t = p.transport;
  const proto = t.kind === "other" ? `PROTO=${p.protocol}` : `PROTO=${t.kind === "icmpv6" ? "ICMPv6" : t.kind.toUpperCase()}`;
  const detail = hasPorts(t) ? ` SPT=${t.sport} DPT=${t.dport}` : t.kind === "icmp" || t.kind === "icmpv6" ? ` TYPE=${t.type} CODE=${t.code}` : "";
  return `${prefix}IN=${env.inInterface ?? ""} OUT=${env.outInterface ?? ""} … SRC=${formatAddress(p.src)} DST=${formatAddress(p.dst)} LEN=${p.length} … ${proto}${detail} …`;
}
