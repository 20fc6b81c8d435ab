/**
 * `-j REJECT [--reject-with TYPE]` (libipt_REJECT / libip6t_REJECT, kernel
 * ipt_REJECT / ip6t_REJECT): drop the packet and answer it with an ICMP
 * error or a TCP reset. The two families name their replies differently.
 */
import type { Family } from "../../model/types.js";
import type { TargetExtension } from "../types.js";

/** A reply type by its name and alias, in the kernel's enum order (the order iptables tries prefixes in). */
type ReplyName = readonly [name: string, alias: string];

const IPV4_REPLIES = [
  ["icmp-net-unreachable", "net-unreach"],
  ["icmp-host-unreachable", "host-unreach"],
  ["icmp-proto-unreachable", "proto-unreach"],
  ["icmp-port-unreachable", "port-unreach"],
  ["icmp-net-prohibited", "net-prohib"],
  ["icmp-host-prohibited", "host-prohib"],
  ["tcp-reset", "tcp-rst"],
  ["icmp-admin-prohibited", "admin-prohib"],
] as const satisfies readonly ReplyName[];

const IPV6_REPLIES = [
  ["icmp6-no-route", "no-route"],
  ["icmp6-adm-prohibited", "adm-prohibited"],
  ["icmp6-addr-unreachable", "addr-unreach"],
  ["icmp6-port-unreachable", "port-unreach"],
  ["tcp-reset", "tcp-reset"],
  ["icmp6-policy-fail", "policy-fail"],
  ["icmp6-reject-route", "reject-route"],
] as const satisfies readonly ReplyName[];

export type Ipv4Reply = (typeof IPV4_REPLIES)[number][0];
export type Ipv6Reply = (typeof IPV6_REPLIES)[number][0];

export interface RejectOptions<R extends string = Ipv4Reply | Ipv6Reply> {
  readonly with: R;
}

const TCP = 6;

function reject<R extends string>(family: Family, replies: readonly (readonly [R, string])[], fallback: R): TargetExtension<RejectOptions<R>> {
  return {
    kind: "target",
    name: "REJECT",
    families: [family],
    options: [{ name: "reject-with", args: 1 }],
    tables: ["filter"],
    hooks: () => ["INPUT", "FORWARD", "OUTPUT"],
    parse(uses, ctx) {
      const arg = uses[0]?.args[0];
      if (!arg) return { with: fallback };
      // iptables takes the first type whose name or alias starts with the word, in any case.
      const word = arg.text.toLowerCase();
      const found = replies.find(([name, alias]) => name.startsWith(word) || alias.startsWith(word));
      const reply = found?.[0] ?? ctx.fail(arg, `unknown reject type "${arg.text}"`, "bad-value");
      // The kernel's checkentry: a reset only answers TCP.
      if (reply === "tcp-reset" && (ctx.protocol?.value !== TCP || ctx.protocol.negated)) {
        ctx.fail(arg, "--reject-with tcp-reset needs -p tcp", "missing-protocol");
      }
      return { with: reply };
    },
    // The default is printed too.
    save: (o) => ` --reject-with ${o.with}`,
  };
}

export const REJECT_IPV4 = reject<Ipv4Reply>("ipv4", IPV4_REPLIES, "icmp-port-unreachable");
export const REJECT_IPV6 = reject<Ipv6Reply>("ipv6", IPV6_REPLIES, "icmp6-port-unreachable");
