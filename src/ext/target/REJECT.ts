/**
 * `-j REJECT [--reject-with TYPE]` (libipt_REJECT / libip6t_REJECT, kernel
 * ipt_REJECT / ip6t_REJECT): drop the packet and answer it with an ICMP
 * error or a TCP reset. The two families name their replies differently.
 */
import type { Family, Hook } from "../../model/types.js";
import type { TargetEnv } from "../semantics.js";
import type { TargetExtension } from "../types.js";

/**
 * A reply type by its name and alias, in the kernel's enum order (the order
 * iptables tries prefixes in), with the ICMP code reject_tg sends (the type
 * is destination unreachable: 3, ICMPv6 1); null for the TCP reset.
 */
type ReplyName = readonly [name: string, alias: string, code: number | null];

const IPV4_REPLIES = [
  ["icmp-net-unreachable", "net-unreach", 0],
  ["icmp-host-unreachable", "host-unreach", 1],
  ["icmp-proto-unreachable", "proto-unreach", 2],
  ["icmp-port-unreachable", "port-unreach", 3],
  ["icmp-net-prohibited", "net-prohib", 9],
  ["icmp-host-prohibited", "host-prohib", 10],
  ["tcp-reset", "tcp-rst", null],
  ["icmp-admin-prohibited", "admin-prohib", 13],
] as const satisfies readonly ReplyName[];

const IPV6_REPLIES = [
  ["icmp6-no-route", "no-route", 0],
  ["icmp6-adm-prohibited", "adm-prohibited", 1],
  ["icmp6-addr-unreachable", "addr-unreach", 3],
  ["icmp6-port-unreachable", "port-unreach", 4],
  ["tcp-reset", "tcp-reset", null],
  ["icmp6-policy-fail", "policy-fail", 5],
  ["icmp6-reject-route", "reject-route", 6],
] as const satisfies readonly ReplyName[];

/** ICMP error types, which no ICMP error answers (icmp_send, icmp6_send). */
const ICMP_ERRORS: Readonly<Record<Family, ReadonlySet<number>>> = { ipv4: new Set([3, 4, 5, 11, 12]), ipv6: new Set([1, 2, 3, 4]) };
const TCP_RST = 4;

export type Ipv4Reply = (typeof IPV4_REPLIES)[number][0];
export type Ipv6Reply = (typeof IPV6_REPLIES)[number][0];

export interface RejectOptions<R extends string = Ipv4Reply | Ipv6Reply> {
  readonly with: R;
}

const TCP = 6;

/** Where the kernel lets REJECT answer (reject_tg_check). */
const REJECT_HOOKS: readonly Hook[] = ["INPUT", "FORWARD", "OUTPUT"];

function reject<R extends string>(family: Family, replies: readonly (readonly [R, string, number | null])[], fallback: R): TargetExtension<RejectOptions<R>> {
  return {
    kind: "target",
    name: "REJECT",
    families: [family],
    options: [{ name: "reject-with", args: 1 }],
    tables: ["filter"],
    hooks: () => REJECT_HOOKS,
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
    // reject_tg / reject_tg6: send the answer (or nothing, see silence) and NF_DROP.
    apply(o, env) {
      const code = replies.find(([name]) => name === o.with)![2];
      const answer = code === null ? "a TCP RST" : `ICMP${family === "ipv6" ? "v6" : ""} destination unreachable (type ${family === "ipv6" ? 1 : 3} code ${code})`;
      const quiet = silence(env, code === null);
      return { kind: "reject", reply: `${o.with}: ${quiet === undefined ? answer : `no answer (${quiet}); the packet is dropped`}` };
    },
  };
}

/**
 * When the kernel drops the packet without answering: nf_send_reset sends no
 * RST for a later fragment or a RST (nf_reject_ip_tcphdr_get), icmp_send no
 * error about a later fragment, an ICMP error, or a packet to a broadcast or
 * multicast address. A reset rule loads only with `-p tcp` (the checkentry),
 * so it never sees another protocol.
 */
function silence(env: TargetEnv, reset: boolean): string | undefined {
  const packet = env.packet;
  if (packet.fragmentOffset !== 0) return "the packet is a later fragment";
  const t = packet.transport;
  if (reset) return t.kind === "tcp" && (t.flags & TCP_RST) !== 0 ? "no RST answers a RST" : undefined;
  if ((t.kind === "icmp" || t.kind === "icmpv6") && ICMP_ERRORS[packet.family].has(t.type)) return "no ICMP error answers an ICMP error";
  const type = env.host.addressType(packet.dst);
  if (type === "MULTICAST" || (packet.family === "ipv4" && type === "BROADCAST")) return `no ICMP error answers a packet to a ${type.toLowerCase()} address`;
  return undefined;
}

export const REJECT_IPV4 = reject<Ipv4Reply>("ipv4", IPV4_REPLIES, "icmp-port-unreachable");
export const REJECT_IPV6 = reject<Ipv6Reply>("ipv6", IPV6_REPLIES, "icmp6-port-unreachable");
