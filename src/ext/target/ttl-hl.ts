/**
 * TTL (IPv4, libipt_TTL) and HL (IPv6, libip6t_HL): set, decrement or
 * increment the hop limit. The two are the same target under two names.
 */
import type { Family } from "../../model/types.js";
import { withHeader } from "../../packet/packet.js";
import type { TargetExtension } from "../types.js";
import { parseUInt } from "../values.js";
import { atMostOne } from "./exclusive.js";

export interface HopLimitOptions {
  readonly mode: "set" | "dec" | "inc";
  /** 0–255; at least 1 for dec and inc. */
  readonly value: number;
}

export function hopLimitTarget(name: "TTL" | "HL", family: Family): TargetExtension<HopLimitOptions> {
  const prefix = name.toLowerCase();
  const modes = ["set", "dec", "inc"] as const;
  const optionNames = new Set(modes.map((m) => `${prefix}-${m}`));
  return {
    kind: "target",
    name,
    families: [family],
    options: modes.map((m) => ({ name: `${prefix}-${m}`, args: 1 })),
    tables: ["mangle"],
    parse(uses, ctx) {
      const use = atMostOne(ctx, uses, optionNames) ?? ctx.fail(ctx.at, `${name} needs --${prefix}-set, --${prefix}-dec or --${prefix}-inc`, "missing-option");
      const mode = use.spec.name.slice(prefix.length + 1) as HopLimitOptions["mode"];
      return { mode, value: parseUInt(ctx, use.args[0]!, `--${use.spec.name}`, mode === "set" ? 0 : 1, 255) };
    },
    save: (o) => ` --${prefix}-${o.mode} ${o.value}`,
    apply(o, env) {
      const ttl = hopLimit(o, env.packet.ttl);
      return { kind: "continue", rewrite: (packet) => withHeader(packet, { ttl }), note: `${name}: ${family === "ipv4" ? "TTL" : "hop limit"} ${env.packet.ttl} → ${ttl}` };
    },
  };
}

/** ttl_tg / hl_tg6: set, or add and subtract clamped to 0–255. XT_CONTINUE. */
function hopLimit(o: HopLimitOptions, ttl: number): number {
  switch (o.mode) {
    case "set":
      return o.value;
    case "inc":
      return Math.min(ttl + o.value, 255);
    case "dec":
      return Math.max(ttl - o.value, 0);
  }
}
