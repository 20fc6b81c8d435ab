/**
 * The classic Docker traps, said in words when they decide the outcome, with
 * the changes that would fix them (proven by the engine before they are
 * printed, see explain.ts) and advice nfwalk cannot check (a daemon setting,
 * `docker network connect`).
 */
import type { DockerLayout } from "../docker/layout.js";
import type { DockerInventory } from "../docker/inventory.js";
import { containerWords, nameContainer, nameNetwork, networkWords } from "../docker/names.js";
import type { DockerNetwork } from "../docker/networks.js";
import type { PacketNames } from "../docker/packet-names.js";
import { publishedPorts, isLoopback, type PublishedPort } from "../docker/published.js";
import type { Host } from "../host/index.js";
import type { MatchUse, Ruleset } from "../ruleset/types.js";
import { describeDestination, formatAddress, formatEndpoint } from "../packet/format.js";
import { hasPorts, type Address, type Packet } from "../packet/packet.js";
import { sameAddress } from "../host/prefix.js";
import { protocolName } from "../ext/values.js";
import type { Branch, Trace } from "../engine/types.js";
import type { Decisive, Trap, Why } from "./types.js";
import type { Miss } from "./near-miss.js";
import { ruleAt } from "./refs.js";
import { conntrack, type ConntrackOptions } from "../ext/match/conntrack.js";
import { tcp } from "../ext/match/tcp.js";
import { udp } from "../ext/match/udp.js";
import { useOptions } from "../ruleset/options.js";
import { formatRule } from "../ruleset/save.js";
import type { Change } from "./change.js";
import { namesDockerBridge } from "./writers.js";

export interface TrapContext {
  readonly ruleset: Ruleset;
  readonly host: Host;
  readonly trace: Trace;
  readonly branch: Branch;
  readonly layout: DockerLayout;
  readonly networks: readonly DockerNetwork[];
  readonly decisive: Decisive | undefined;
  /** The rules that would have changed the outcome, with their conditions' match parts. */
  readonly misses: readonly Miss[];
  readonly translatedBy: Why["translatedBy"];
  /** Docker's names, when its inspect output was given. */
  readonly docker: DockerInventory | undefined;
  readonly names: PacketNames | undefined;
}

/** A fix to prove: rule, sysctl or ipset changes (completed by unblock.ts), or another packet to send instead. */
export type Candidate = { readonly words?: string; readonly changes: readonly Change[] } | { readonly words: string; readonly instead: Packet };

interface Found {
  readonly traps: Trap[];
  readonly candidates: Candidate[];
  /** What nfwalk cannot check: daemon settings, Docker's own commands. */
  readonly advice: string[];
}

type Detector = (c: TrapContext, found: Found) => void;

export function findTraps(context: TrapContext): Found {
  const found: Found = { traps: [], candidates: [], advice: [] };
  for (const detect of DETECTORS) detect(context, found);
  return found;
}

/** Where DNAT sent the packet: its destination as the rules last saw it. */
const translatedTo = (c: TrapContext) => (c.branch.endPoint ? describeDestination(c.branch.endPoint.packet) : "");
const proto = (p: Packet) => protocolName(p.protocol) ?? String(p.protocol);
const dport = (p: Packet) => (hasPorts(p.transport) ? p.transport.dport : undefined);
const isBridge = (c: TrapContext, name: string | undefined) => c.networks.some((n) => n.bridge === name);
const arrival = (c: TrapContext) => ("interface" in c.trace.ingress ? c.trace.ingress.interface : undefined);
const namedNetwork = (c: TrapContext, bridge: string | undefined) => (c.docker && bridge !== undefined ? nameNetwork(c.docker, bridge) : undefined);
/** A bridge by its Docker network's name when known: "network bridge (docker0)", else "docker0". */
const bridgeWords = (c: TrapContext, bridge: string | undefined): string => {
  const network = namedNetwork(c, bridge);
  return network ? networkWords(network.name, network.bridge) : String(bridge);
};
/** A container's endpoint by its name when known: "container web (172.17.0.2:80) on network bridge (docker0)". */
const endpointWords = (c: TrapContext, address: Address, port: number): string => {
  const container = c.docker && nameContainer(c.docker, address, port);
  return container ? containerWords(container) : formatEndpoint(address, port);
};

const inputBypassed: Detector = (c, found) => {
  const input = c.ruleset.tablesByName.get("filter")?.chainsByName.get("INPUT");
  if (c.trace.outcome !== "forwarded" || !c.translatedBy || !input) return;
  const blocking = input.policy === "DROP" || input.rules.some((r) => r.action?.kind === "target" && ["DROP", "REJECT"].includes(r.action.target.extension.name));
  const firewall = input.rules.some((r) => r.action?.kind !== "target" && /^(ufw|INPUT_|IN_)/.test(r.action?.chain ?? "")) ? " (ufw's or firewalld's rules too)" : "";
  if (!blocking) return;
  const t = c.translatedBy;
  found.traps.push({
    name: "input-bypassed",
    words:
      `filter INPUT${input.policy === "DROP" ? " (policy DROP)" : ""} never sees this packet: the DNAT rule at ${t.file}:${t.line} rewrote it to ${translatedTo(c)} in PREROUTING, ` +
      `before routing, so the kernel routed it to the container through FORWARD, not to the host through INPUT. Rules in INPUT${firewall} do not protect published ports.`,
  });
  const p = c.trace.packet;
  const port = dport(p);
  const host = p.family === "ipv4" ? "/32" : "/128";
  if (port !== undefined) {
    found.candidates.push({
      words: "to let only this client reach it, filter in DOCKER-USER, which published ports pass through",
      changes: [
        {
          kind: "rule",
          table: "filter",
          chain: "DOCKER-USER",
          how: "insert",
          position: 1,
          rule: `! -s ${formatAddress(p.src)}${host} -i ${arrival(c)} -p ${proto(p)} -m conntrack --ctorigdst ${formatAddress(p.dst)}${host} --ctorigdstport ${port} --ctdir ORIGINAL -j DROP`,
        },
      ],
    });
  }
  found.advice.push(`or publish the port on 127.0.0.1 only (docker run -p 127.0.0.1:${port}:…)`);
};

const dockerUserSeesContainerPort: Detector = (c, found) => {
  const t = c.translatedBy;
  const miss = c.misses.find((m) => m.rule.chain === "DOCKER-USER" && m.conditions.some((x) => x.result === "fails" && x.use !== undefined && portsOf(x.use)?.dport !== undefined));
  const published = dport(c.trace.packet);
  if (!t || !miss || published === undefined) return;
  const container = translatedTo(c);
  found.traps.push({
    name: "docker-user-sees-container-port",
    words:
      `DOCKER-USER runs in FORWARD, after DNAT: it sees the container's address and port (${container}), not the published port ${published}. ` +
      `A --dport ${published} there never matches a packet to the published port; -m conntrack --ctorigdstport ${published} does.`,
  });
  const { rule } = miss;
  const fixed = formatRule({ ...rule, matches: rule.matches.flatMap(onOriginalPort) }, c.ruleset.family).slice(`-A ${rule.chain} `.length);
  found.candidates.push({ changes: [{ kind: "rule", table: rule.table, chain: rule.chain, how: "replace", position: rule.number, rule: fixed }] });
};

const portsOf = (use: MatchUse) => useOptions(use, tcp) ?? useOptions(use, udp);

/** A tcp or udp match's --dport tested on the connection's original destination port instead (-m conntrack --ctorigdstport), which DNAT does not change. */
function onOriginalPort(use: MatchUse): MatchUse[] {
  const ports = portsOf(use);
  if (ports?.dport === undefined) return [use];
  const rest = { ...ports, dport: undefined };
  const original: MatchUse<ConntrackOptions> = {
    extension: conntrack,
    options: { addresses: {}, ports: { ctorigdstport: { value: ports.dport.range, negated: ports.dport.negated } } },
    column: use.column,
  };
  return Object.values(rest).some((v) => v !== undefined) ? [{ ...use, options: rest }, original] : [original];
}

/** The trap in words; the fix is the narrow rule unblock.ts finds, never one for everything between two interfaces. */
const forwardPolicyDrop: Detector = (c, found) => {
  const d = c.decisive;
  if (d?.kind !== "policy" || d.chain !== "FORWARD" || d.table !== "filter" || d.policy !== "DROP") return;
  if (c.layout.era === "iptables-disabled") {
    found.traps.push({
      name: "forward-policy-drop",
      words: namesDockerBridge(c.ruleset)
        ? `filter FORWARD's policy is DROP and none of Docker's chains are in the rules (its daemon may run with --iptables=false): the rules naming its bridges were written by hand or another tool, none accepts this routed packet, and no Docker DNAT sends published ports to containers.`
        : `filter FORWARD's policy is DROP and Docker wrote no rules for its bridges (the daemon runs with --iptables=false): nothing accepts this routed packet, and no DNAT sends published ports to containers either.`,
    });
    found.advice.push(`or let Docker manage the rules: remove "iptables": false from /etc/docker/daemon.json`);
    return;
  }
  const docker = c.layout.era === "none" ? "" : " Docker sets it when it turns on IP forwarding, and its rules accept only traffic to and from its own networks.";
  found.traps.push({ name: "forward-policy-drop", words: `filter FORWARD's policy is DROP: a routed packet that no rule accepts is dropped.${docker}` });
};

const ipForwardOff: Detector = (c, found) => {
  const family = c.trace.packet.family;
  const last = c.branch.steps.at(-1);
  if (c.decisive?.kind !== "routing" || c.host.sysctls.forwarding[family] || last?.type !== "route" || last.dropped !== "forwarding-disabled") return;
  const sysctl = family === "ipv4" ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding";
  found.traps.push({
    name: "ip-forward-off",
    words: `IP forwarding is off (${sysctl}=0): the host routes nothing, so packets for containers are dropped — published ports included, as DNAT makes them routed packets. Docker turns forwarding on itself unless the daemon runs with --ip-forward=false.`,
  });
  found.candidates.push({ changes: [{ kind: "forwarding", family }] });
};

const dockerProxy: Detector = (c, found) => {
  if (c.trace.outcome !== "delivered" || c.translatedBy) return;
  const port = publishedFor(c.ruleset, c.trace.packet);
  const inn = arrival(c);
  const fromContainer = isBridge(c, inn);
  if (!port || !(fromContainer || isLoopback(c.trace.packet.dst))) return;
  const who = fromContainer ? `a container on ${bridgeWords(c, inn)} connecting to a published port of the host` : "a connection to the loopback address";
  found.traps.push({
    name: "docker-proxy",
    words:
      `no DNAT rule rewrites ${who} (see "why not"): the packet is delivered to the host's own port ${dport(c.trace.packet)}, where docker-proxy, Docker's userland proxy, listens and relays it to ` +
      `${endpointWords(c, port.container.address, port.container.port)}. That works while the userland proxy is on (Docker's default, the layout these rules have); ` +
      `with "userland-proxy": false in /etc/docker/daemon.json, Docker writes rules that let the kernel DNAT it instead.`,
  });
};

const directAccessDropped: Detector = (c, found) => {
  const d = c.decisive;
  const arrivalTest = d?.kind === "rule" ? ruleAt(c.ruleset, d.table, d.chain, d.rule)?.header.inInterface : undefined;
  if (d?.kind !== "rule" || d.table !== "raw" || d.target !== "DROP" || !c.layout.directAccessDrop || !arrivalTest?.negated) return;
  const bridge = arrivalTest.value;
  const from = arrival(c);
  if (isBridge(c, from)) {
    found.traps.push({
      name: "networks-isolated",
      words: `Docker isolates its networks from each other: a container on ${bridgeWords(c, from)} cannot reach one on ${bridgeWords(c, bridge)}; since Docker 28 the raw table drops such packets before routing.`,
    });
    found.advice.push(isolationFix(c, bridge));
    return;
  }
  const network = namedNetwork(c, bridge);
  const its = network ? networkWords(network.name, network.bridge) : `bridge (${bridge})`;
  found.traps.push({
    name: "direct-access-dropped",
    words: `since Docker 28 the raw table drops packets for a container's address that arrive from outside its ${its}: from outside, containers are reachable only through published ports.`,
  });
  const port = publishedPorts(c.ruleset).find((p) => sameAddress(p.container.address, c.trace.packet.dst) && p.container.port === dport(c.trace.packet));
  const local = c.host.interfaces.find((i) => i.name === from)?.addresses[0]?.address;
  const address = port?.hostAddress ?? local;
  const p = c.trace.packet;
  // A port published on 127.0.0.1 only is for the host's own processes: no address to offer a client elsewhere.
  if (port && !port.loopbackOnly && address && hasPorts(p.transport)) {
    const instead: Packet = { ...p, dst: address, transport: { ...p.transport, dport: port.hostPort.min } };
    found.candidates.push({ words: `connect to the published port instead: ${formatEndpoint(address, port.hostPort.min)}`, instead });
  }
  found.advice.push(`or give the network direct routing: docker network create -o com.docker.network.bridge.gateway_mode_ipv4=routed … (or nat-unprotected)`);
};

/** `docker network connect`, with the network the packet is kept out of (the bridge's, or the addressed container's) and the sending container when Docker's names tell them. */
function isolationFix(c: TrapContext, bridge: string | undefined): string {
  const network = namedNetwork(c, bridge)?.name ?? c.names?.destination?.network ?? "NETWORK";
  const container = c.names?.source?.name ?? "CONTAINER";
  return `connect the container to the other network as well: docker network connect ${network} ${container} (or go through a published port on the host's address)`;
}

const networksIsolated: Detector = (c, found) => {
  const d = c.decisive;
  if (d?.kind !== "rule" || d.target !== "DROP" || d.table !== "filter") return;
  const point = c.branch.endPoint;
  const crossing = isBridge(c, point?.inInterface) && isBridge(c, point?.outInterface) && point?.inInterface !== point?.outInterface;
  if (d.chain === "DOCKER-INTERNAL") {
    const net = c.networks.find((n) => n.internal && (n.bridge === point?.inInterface || n.bridge === point?.outInterface));
    found.traps.push({
      name: "internal-network",
      words: `${net ? bridgeWords(c, net.bridge) : "the network"} is an --internal Docker network: its containers talk only to each other, never to or from the outside.`,
    });
    found.advice.push(`connect the container to a second, non-internal network: docker network connect NETWORK ${c.names?.source?.name ?? c.names?.destination?.name ?? "CONTAINER"}`);
    return;
  }
  if (!crossing || !(d.chain === "DOCKER" || d.chain.startsWith("DOCKER-ISOLATION"))) return;
  found.traps.push({
    name: "networks-isolated",
    words: `Docker isolates its networks from each other: a container on ${bridgeWords(c, point?.inInterface)} cannot reach one on ${bridgeWords(c, point?.outInterface)}.`,
  });
  found.advice.push(isolationFix(c, point?.outInterface));
};

/** ufw rewrites its chains: with ufw, its own command next to the rule. */
const ufwInput: Detector = (c, found) => {
  const d = c.decisive;
  const p = c.trace.packet;
  const port = dport(p);
  const ufw = c.ruleset.tablesByName.get("filter")?.chainsByName.has("ufw-user-input");
  if (!ufw || port === undefined || (d?.kind !== "rule" && d?.kind !== "policy") || d.hook !== "INPUT" || d.table !== "filter") return;
  found.advice.push(`with ufw, which rewrites its chains on reload: ufw allow from ${formatAddress(p.src)} to any port ${port} proto ${proto(p)}`);
};

/** Published on 127.0.0.1 only (`docker run -p 127.0.0.1:8080:80`): from elsewhere the port is the host's own. */
const publishedOnLoopback: Detector = (c, found) => {
  const port = publishedFor(c.ruleset, c.trace.packet);
  if (c.translatedBy || !port?.loopbackOnly || isLoopback(c.trace.packet.dst) || !c.misses.some((m) => m.kind === "dnat")) return;
  found.traps.push({
    name: "published-on-loopback",
    words:
      `the port is published on 127.0.0.1 only (docker run -p 127.0.0.1:${port.hostPort.min}:${port.container.port}): Docker's DNAT rule takes only packets to 127.0.0.1, ` +
      `so this packet is not sent to the container but ${c.trace.outcome === "delivered" ? "delivered to the host's own port" : "treated as the host's own"}. Publish it on the address clients use (-p ${port.hostPort.min}:${port.container.port}) to reach the container from elsewhere.`,
  });
};

const DETECTORS: readonly Detector[] = [inputBypassed, dockerUserSeesContainerPort, forwardPolicyDrop, ipForwardOff, dockerProxy, directAccessDropped, networksIsolated, ufwInput, publishedOnLoopback];

function publishedFor(ruleset: Ruleset, packet: Packet): PublishedPort | undefined {
  const port = dport(packet);
  return publishedPorts(ruleset).find((p) => p.protocol === proto(packet) && port !== undefined && port >= p.hostPort.min && port <= p.hostPort.max);
}
