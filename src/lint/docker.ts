/**
 * Docker's classic traps as findings (README "Docker traps"). Each is proven
 * on one concrete packet that `nfwalk why` explains the same way, with why's
 * own trap detection (why/traps.ts) where it has one:
 *
 * - NF201: a published port that filter INPUT would refuse: why finds the
 *   "input-bypassed" trap for a client's packet to it, and the same packet
 *   traced without the port's DNAT rule is dropped or rejected in INPUT;
 * - NF202: a DROP or REJECT in DOCKER-USER without a connection-state match,
 *   reached before any rule that tests the state: it also takes the packets
 *   of established connections, replies included;
 * - NF203: Docker's inspect output publishes a port, the rules have no Docker
 *   chain (the daemon runs with --iptables=false), and a client's packet to
 *   the port is translated by no DNAT.
 */
import { dockerLayout } from "../docker/layout.js";
import type { DockerInventory } from "../docker/inventory.js";
import { publishedPorts } from "../docker/published.js";
import type { ConntrackAssumption } from "../engine/conntrack-use.js";
import type { IpsetContents } from "../host/ipset.js";
import type { Host } from "../host/types.js";
import type { TcpOptions } from "../ext/match/tcp.js";
import { formatAddress, formatEndpoint } from "../packet/format.js";
import type { Address, Packet } from "../packet/packet.js";
import { parsePacketSpec } from "../packet/spec.js";
import type { Rule, Ruleset } from "../ruleset/types.js";
import { explain, type WhyRequest } from "../why/explain.js";
import type { Why } from "../why/types.js";
import { LINT_CODES, type LintFinding, type LintRuleRef } from "./types.js";

export interface DockerContext {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly ref: (rule: Rule) => LintRuleRef;
  readonly docker?: DockerInventory;
  readonly ipsets?: IpsetContents;
  readonly conntrack?: ConntrackAssumption;
}

export function dockerFindings(c: DockerContext): LintFinding[] {
  return [...bypassedInput(c), ...dockerUserDropsReplies(c), ...publishedWithoutRules(c)];
}

/** The client lint sends from: an address of the documentation ranges, arriving where the host's default route leads. */
const CLIENT = { ipv4: "203.0.113.7", ipv6: "[2001:db8::7]" } as const;

function bypassedInput(c: DockerContext): LintFinding[] {
  const { ruleset, host } = c;
  const outside = outsideInterface(host, ruleset.family);
  if (!outside || !ruleset.tablesByName.get("filter")?.chainsByName.has("INPUT")) return [];
  const ufw = ruleset.tablesByName.get("filter")!.chains.some((chain) => /^ufw6?-/.test(chain.name));
  return publishedPorts(ruleset).flatMap((port) => {
    const address = port.hostAddress ?? outside.address;
    if (port.loopbackOnly || address.family !== ruleset.family) return [];
    const packet = clientPacket(port.protocol, address, port.hostPort.min);
    if (!packet) return [];
    const request: WhyRequest = { ruleset, host, packet, ingress: { kind: "interface", name: outside.name }, ...(c.ipsets && { ipsets: c.ipsets }), ...(c.conntrack && { conntrack: c.conntrack }) };
    if (!explain(request).traps.some((t) => t.name === "input-bypassed")) return [];
    const withoutDnat = explain({ ...request, ruleset: withoutRule(ruleset, port.rule) });
    const refusal = inputRefusal(withoutDnat, ruleset);
    if (!refusal) return [];
    const ref = c.ref(port.rule);
    const related = refusal.rule ? [c.ref(refusal.rule)] : [];
    const to = formatEndpoint(port.container.address, port.container.port);
    return [
      {
        code: "NF201",
        severity: LINT_CODES.NF201.severity,
        location: ref.location,
        message:
          `${port.protocol} port ${port.hostPort.min} published to ${to} bypasses filter INPUT${ufw ? " (ufw)" : ""}: DNAT sends a client's packet (${describe(packet)}) ` +
          `through FORWARD to the container, where INPUT would ${refusal.verdict} it (${refusal.where})`,
        rule: ref,
        related,
      },
    ];
  });
}

function describe(packet: Packet): string {
  const t = packet.transport;
  const port = "dport" in t ? `:${t.dport}` : "";
  return `${formatAddress(packet.src)} -> ${formatAddress(packet.dst)}${port}`;
}

/** What refused the packet in filter INPUT, if that is what decided. */
function inputRefusal(answer: Why, ruleset: Ruleset): { verdict: string; where: string; rule?: Rule } | undefined {
  const d = answer.decisive;
  if (answer.reached !== false || !d || (d.kind !== "rule" && d.kind !== "policy") || d.hook !== "INPUT") return undefined;
  const verdict = answer.outcome === "rejected" ? "reject" : "drop";
  if (d.kind === "policy") return { verdict, where: `policy ${d.policy} of ${d.table} ${d.chain}` };
  return { verdict, where: `rule ${d.rule} of ${d.table} ${d.chain}, line ${d.line}`, rule: ruleset.tablesByName.get(d.table)?.chainsByName.get(d.chain)?.rules[d.rule - 1] };
}

/** The interface the host's default route leaves by, with its first address of the family. */
function outsideInterface(host: Host, family: Ruleset["family"]): { name: string; address: Address } | undefined {
  const route = host.routes.find((r) => r.family === family && r.prefixLength === 0 && r.type === "unicast" && r.device !== undefined);
  const iface = host.interfaces.find((i) => i.name === route?.device);
  const address = iface?.addresses.find((a) => a.address.family === family)?.address;
  return iface && address ? { name: iface.name, address } : undefined;
}

function clientPacket(protocol: string, address: Address, port: number): Packet | undefined {
  const host = address.family === "ipv4" ? formatAddress(address) : `[${formatAddress(address)}]`;
  const parsed = parsePacketSpec(`${protocol} ${CLIENT[address.family]}:40000 -> ${host}:${port}`);
  return parsed.ok ? parsed.packet : undefined;
}

/** The ruleset with one rule left out (its chain's later rules move up, as `iptables -D` does). */
function withoutRule(ruleset: Ruleset, rule: Rule): Ruleset {
  const tables = ruleset.tables.map((table) => {
    if (table.name !== rule.table) return table;
    const chains = table.chains.map((chain) =>
      chain.name !== rule.chain ? chain : { ...chain, rules: chain.rules.filter((r) => r !== rule).map((r, i) => (r.number === i + 1 ? r : { ...r, number: i + 1 })) },
    );
    return { ...table, chains, chainsByName: new Map(chains.map((chain) => [chain.name, chain])) };
  });
  return { ...ruleset, tables, tablesByName: new Map(tables.map((t) => [t.name, t])) };
}

/** A rule testing the connection's state, or a TCP flag (a SYN-only rule never sees a reply). */
function testsState(rule: Rule): boolean {
  return rule.matches.some((m) => m.extension.name === "conntrack" || m.extension.name === "state" || (m.extension.name === "tcp" && (m.options as TcpOptions).flags !== undefined));
}

function dockerUserDropsReplies(c: DockerContext): LintFinding[] {
  const filter = c.ruleset.tablesByName.get("filter");
  const chain = filter?.chainsByName.get("DOCKER-USER");
  const forward = filter?.chainsByName.get("FORWARD")?.rules ?? [];
  const jump = forward.findIndex((r) => r.action?.kind === "jump" && r.action.chain === "DOCKER-USER");
  if (!chain || jump < 0 || forward.slice(0, jump).some(testsState)) return [];
  const findings: LintFinding[] = [];
  for (const rule of chain.rules) {
    if (testsState(rule)) break;
    const action = rule.action;
    if (action?.kind !== "target" || !["DROP", "REJECT"].includes(action.target.extension.name)) continue;
    const ref = c.ref(rule);
    findings.push({
      code: "NF202",
      severity: LINT_CODES.NF202.severity,
      location: ref.location,
      message: `${action.target.extension.name} without a connection-state match in DOCKER-USER, which runs before Docker accepts established connections: it takes replies too (add -m conntrack --ctstate NEW)`,
      rule: ref,
      related: [],
    });
  }
  return findings;
}

function publishedWithoutRules(c: DockerContext): LintFinding[] {
  const { ruleset, host, docker } = c;
  if (!docker || dockerLayout(ruleset, host).chains.length > 0) return [];
  const outside = outsideInterface(host, ruleset.family);
  if (!outside) return [];
  const line = (ruleset.tablesByName.get("nat") ?? ruleset.tablesByName.get("filter") ?? ruleset.tables[0])?.line ?? 1;
  const seen = new Set<string>();
  return docker.containers.flatMap((container) =>
    container.published.flatMap((binding): LintFinding[] => {
      const address = binding.hostIp !== undefined && !isUnspecified(binding.hostIp) ? binding.hostIp : outside.address;
      const key = `${binding.protocol} ${formatAddress(address)} ${binding.hostPort}`;
      if (address.family !== ruleset.family || seen.has(key)) return [];
      seen.add(key);
      const packet = clientPacket(binding.protocol, address, binding.hostPort);
      if (!packet) return [];
      const answer = explain({ ruleset, host, packet, ingress: { kind: "interface", name: outside.name }, ...(c.ipsets && { ipsets: c.ipsets }), ...(c.conntrack && { conntrack: c.conntrack }) });
      if (answer.translatedBy) return [];
      return [
        {
          code: "NF203",
          severity: LINT_CODES.NF203.severity,
          location: { file: ruleset.file, line },
          message:
            `container ${container.name} publishes ${binding.protocol} port ${binding.hostPort} (to its port ${binding.containerPort}), but the rules have no Docker chain (the daemon runs with --iptables=false): ` +
            `no DNAT sends a client's packet (${describe(packet)}) to the container; it is ${answer.outcome}`,
          related: [],
        },
      ];
    }),
  );
}

function isUnspecified(address: Address): boolean {
  return address.family === "ipv4" ? address.value === 0 : address.value === 0n;
}
