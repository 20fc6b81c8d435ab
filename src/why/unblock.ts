/**
 * The narrowest rules that let one connection through: the packet is traced, and where a
 * rule or policy stops it an ACCEPT rule is put just before that rule (or at the end of the
 * chain, before its policy) that matches only this packet as the rules see it there (its
 * addresses, interfaces, protocol and destination port); then its reply is traced, and where
 * it is stopped an ACCEPT rule for the reply only (addresses and ports the other way, conntrack
 * state ESTABLISHED in the reply direction). Never a rule for everything between two
 * interfaces. Rules go in a chain of the user's own: DOCKER-USER for a routed packet Docker's
 * chains decide, never Docker's or kube-proxy's chains, which their daemons rewrite.
 */
import { isDockerChain } from "../docker/layout.js";
import { protocolName } from "../ext/values.js";
import type { TableName } from "../model/types.js";
import type { Ruleset } from "../ruleset/types.js";
import { formatAddress } from "../packet/format.js";
import { hasPorts, type Packet } from "../packet/packet.js";
import type { Branch, Trace } from "../engine/types.js";
import { applyChanges, type Change, type World } from "./change.js";
import { reachedOutcome, replyGetsBack, traceIn, type Question } from "./prove.js";

/** How many rules one fix may add: the packet's way and its reply's, each through a few blocking chains. */
const MAX_RULES = 4;

/** The changes completed with the rules the packet and its reply still need, or undefined when no rule can do it. */
export function unblock(world: World, q: Question, start: readonly Change[] = []): Change[] | undefined {
  const changes = [...start];
  for (let round = 0; round <= MAX_RULES; round++) {
    const fixed = applyChanges(world, changes);
    if ("error" in fixed) return undefined;
    const trace = traceIn(fixed, q);
    if (trace.outcome === "undetermined") return undefined;
    let change: Change | undefined;
    if (!reachedOutcome(trace)) change = passRule(fixed.ruleset, trace, "original");
    else {
      const reply = traceIn(fixed, q, q.packet, q.ingress, "reply");
      if (replyGetsBack(reply, q.ingress)) return changes;
      if (reply.outcome !== "dropped" && reply.outcome !== "rejected") return undefined;
      change = passRule(fixed.ruleset, reply, "reply");
    }
    if (!change || round === MAX_RULES) return undefined;
    changes.push(change);
  }
  return undefined;
}

/** An ACCEPT rule for the packet where it was stopped, in a chain the user owns. */
function passRule(ruleset: Ruleset, trace: Trace, direction: "original" | "reply"): Change | undefined {
  const branch = trace.branches[0];
  const last = branch?.steps[branch.steps.length - 1];
  const point = branch?.endPoint;
  if (!branch || !point || (last?.type !== "rule" && last?.type !== "policy")) return undefined;
  const place = placeFor(ruleset, last.table, last.chain, last.type === "rule" ? last.rule : undefined);
  if (!place) return undefined;
  return { kind: "rule", ...place, rule: matchesFor(branch, point.packet, direction) + " -j ACCEPT" };
}

type Place = Pick<Extract<Change, { kind: "rule" }>, "table" | "chain" | "how" | "position">;

/** Before the stopping rule; at the end of a chain whose policy stopped it; DOCKER-USER's top for routed packets Docker's chains or FORWARD's policy stop. */
function placeFor(ruleset: Ruleset, table: TableName, chain: string, rule: number | undefined): Place | undefined {
  const managed = (isDockerChain(chain) && chain !== "DOCKER-USER") || chain.startsWith("KUBE-") || (rule !== undefined && isDockerRawDrop(ruleset, table, chain, rule));
  const routedByDocker = table === "filter" && ((chain === "FORWARD" && rule === undefined) || (managed && isDockerChain(chain)));
  if (routedByDocker && jumpsToDockerUser(ruleset)) return { table: "filter", chain: "DOCKER-USER", how: "insert", position: 1 };
  if (managed) return undefined;
  return rule === undefined ? { table, chain, how: "append" } : { table, chain, how: "insert", position: rule };
}

const jumpsToDockerUser = (ruleset: Ruleset) =>
  ruleset.tablesByName
    .get("filter")
    ?.chainsByName.get("FORWARD")
    ?.rules.some((r) => r.action?.kind === "jump" && r.action.chain === "DOCKER-USER") ?? false;

/** Docker 28's raw PREROUTING drop of packets for a container's address from outside its bridge: Docker's rule in a built-in chain. */
function isDockerRawDrop(ruleset: Ruleset, table: TableName, chain: string, number: number): boolean {
  const rule = ruleset.tablesByName.get(table)?.chainsByName.get(chain)?.rules[number - 1];
  return table === "raw" && chain === "PREROUTING" && rule?.header.inInterface?.negated === true && /^(docker|br-)/.test(rule.header.inInterface.value);
}

/** The packet as the rules saw it where it was stopped, as iptables options. */
function matchesFor(branch: Branch, packet: Packet, direction: "original" | "reply"): string {
  const point = branch.endPoint!;
  const host = packet.family === "ipv4" ? "/32" : "/128";
  const parts = [`-s ${formatAddress(packet.src)}${host}`, `-d ${formatAddress(packet.dst)}${host}`];
  if (point.inInterface !== undefined) parts.push(`-i ${point.inInterface}`);
  if (point.outInterface !== undefined) parts.push(`-o ${point.outInterface}`);
  parts.push(protocolMatch(packet, direction));
  if (direction === "reply") parts.push("-m conntrack --ctstate ESTABLISHED --ctdir REPLY");
  return parts.filter((p) => p !== "").join(" ");
}

function protocolMatch(packet: Packet, direction: "original" | "reply"): string {
  const t = packet.transport;
  const name = protocolName(packet.protocol) ?? String(packet.protocol);
  if (hasPorts(t) && (t.kind === "tcp" || t.kind === "udp")) return `-p ${name} -m ${name} ${direction === "reply" ? `--sport ${t.sport}` : `--dport ${t.dport}`}`;
  if (t.kind === "icmp") return `-p icmp -m icmp --icmp-type ${t.type}/${t.code}`;
  if (t.kind === "icmpv6") return `-p ipv6-icmp -m icmp6 --icmpv6-type ${t.type}/${t.code}`;
  return `-p ${name}`;
}
