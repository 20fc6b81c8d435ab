/**
 * `-m eui64` (libip6t_eui64, kernel ip6t_eui64): the source address's
 * interface identifier is the EUI-64 of the frame's source MAC. No options.
 */
import type { Hook } from "../../model/types.js";
import type { MatchEnv, MatchResult } from "../semantics.js";
import type { MatchExtension } from "../types.js";

const HOOKS: readonly Hook[] = ["PREROUTING", "INPUT", "FORWARD"];

/**
 * eui64_mt6: the MAC with ff:fe in the middle and the universal/local bit
 * flipped must equal the low 64 bits of the source address.
 */
function eui64Match(env: MatchEnv): MatchResult {
  const { src } = env.packet;
  if (src.family !== "ipv6") return false;
  if (env.sourceMac === undefined) return { unknown: "-m eui64: compares the source address with the frame's source MAC, which nfwalk was not given" };
  const mac = env.sourceMac.split(":").map((b) => parseInt(b, 16));
  const eui = [mac[0]! ^ 0x02, mac[1]!, mac[2]!, 0xff, 0xfe, mac[3]!, mac[4]!, mac[5]!];
  const id = eui.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  return (src.value & 0xffffffffffffffffn) === id;
}

export const eui64: MatchExtension<Record<string, never>> = {
  kind: "match",
  name: "eui64",
  families: ["ipv6"],
  options: [],
  parse: () => ({}),
  hooks: () => HOOKS,
  save: () => "",
  match: (_o, env) => eui64Match(env),
};
