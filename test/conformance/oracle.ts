/**
 * The kernel's answer for one packet: load a ruleset into the topology's host, send the
 * packet from where the trace says it comes from, and observe where it arrives, with
 * which header, and which rule and policy counters it moved.
 */
import { protocolName } from "../../src/ext/values.js";
import { isOtherFamilyIcmp } from "../../src/packet/packet.js";
import { formatAddress } from "../../src/packet/format.js";
import type { Packet } from "../../src/packet/packet.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { mustExec as must } from "../kernel/netns.js";
import { countedSteps, type CountedPolicy, type CountedRule } from "./counters.js";
import type { SeenHeader, WirePacket } from "./helper.js";
import { LINKS, ORACLE_TABLE, PEERS, type Peer, type Role, type Topology } from "./topology.js";

/** Where the packet comes from, as `nfwalk trace` says it: `--in IFACE` or `--local`. */
export type Origin = { readonly in: string } | { readonly local: true };

/** A header as the trace JSON prints packets. */
export interface HeaderJson {
  readonly proto: string;
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly type?: number;
  readonly code?: number;
}

export type KernelAnswer =
  | {
      readonly loaded: true;
      readonly outcome: "delivered" | "forwarded" | "sent" | "dropped";
      /** The namespace it arrived in: "host" when delivered, a peer when forwarded or sent. */
      readonly arrivedAt?: Role;
      /** The host interface it left by (forwarded, sent), as the trace's `egress.interface`. */
      readonly interface?: string;
      /** Its header where it arrived, after every NAT rewrite. */
      readonly header?: HeaderJson;
      /** Why the host's sendto failed (EPERM: its OUTPUT path dropped the packet). */
      readonly sendError?: string;
      readonly rules: CountedRule[];
      readonly policies: CountedPolicy[];
    }
  | { readonly loaded: false; readonly message: string };

/*
 * After the send returns the packet has normally crossed every namespace already (veth
 * delivery runs in the sender's softirq); the wait covers ARP for an unpinned neighbour
 * and a loaded machine. It is also the whole cost of confirming a drop.
 */
const SETTLE_MS = 40;

const IPTABLES_TABLES = ["raw", "mangle", "nat", "filter", "security"];

/*
 * iptables-restore flushes only the tables its dump names; a table left from the previous
 * ruleset would still see packets. Adding then deleting each one is one atomic nft
 * transaction that succeeds whether or not the table exists, and it also leaves every
 * counter of the next load at zero.
 */
const CLEAR_TABLES = IPTABLES_TABLES.map((t) => `add table ip ${t}\ndelete table ip ${t}\n`).join("");

/**
 * Deletes the five iptables tables from the host (every rule, every reference to an ipset),
 * as before each packet; for a test that must destroy what the rules used (ipsets).
 */
export async function clearTables(topology: Topology): Promise<void> {
  await topology.helpers.host.nft(CLEAR_TABLES);
}

/** The peer behind each host interface a packet can come in on. */
const PEER_BY_INTERFACE = new Map<string, Peer>(PEERS.map((p) => [LINKS[p].hostInterface, p]));

export async function kernelAnswer(topology: Topology, rules: string, packetText: string, origin: Origin): Promise<KernelAnswer> {
  const control = topology.helpers.host;
  await control.nft(CLEAR_TABLES);
  await control.flushConntrack();
  const load = await topology.namespaces.host.restore(rules, "ipv4");
  if (!load.ok) return { loaded: false, message: load.message };
  return observe(topology, packetText, origin);
}

/**
 * Sends one packet through the rules already loaded, with conntrack as the packets before
 * it left it (a connection's reply after its first packet), and says where it arrived.
 * Counters are the rules' totals since they were loaded.
 */
export async function observe(topology: Topology, packetText: string, origin: Origin, delivery: "counter" | "copy" = "counter"): Promise<KernelAnswer> {
  const parsed = parsePacketSpec(packetText);
  if (!parsed.ok) throw new Error(`packet "${packetText}": ${parsed.message}`);
  if (parsed.packet.family !== "ipv4") throw new Error(`packet "${packetText}": the topology is IPv4 only`);
  const sender = senderOf(origin);
  const host = topology.namespaces.host;
  const control = topology.helpers.host;
  const id = topology.nextId();
  const helpers = Object.values(topology.helpers);
  await Promise.all(helpers.map((h) => h.prepare(id, parsed.packet.protocol)));
  const packet = wirePacket(parsed.packet, id);
  const sent =
    sender === "host"
      ? await topology.helpers.host.send({ mode: "local", packet })
      : await topology.helpers[sender].send({ mode: "l2", srcMac: LINKS[sender].peerMac, dstMac: LINKS[sender].hostMac, packet });
  // Only the host's kernel raw socket can be refused by netfilter; a peer's AF_PACKET send cannot.
  if (!sent.ok && sender !== "host") throw new Error(`sending from ${sender} failed: ${sent.error}`);
  await sleep(SETTLE_MS);

  const [hostSeen, ...peerSeen] = await Promise.all([topology.helpers.host.collect(id), ...PEERS.map((p) => topology.helpers[p].collect(id))]);
  const delivered = await control.nft(`reset counter ip ${ORACLE_TABLE} delivered`);
  const saved = await must(host, ["iptables-save", "-c"]);
  const { rules: counted, policies } = countedSteps(saved.stdout);
  const steps = { rules: counted, policies, ...(!sent.ok && { sendError: sent.error }) };

  const arrivals = PEERS.flatMap((peer, i) => {
    const seen = peerSeen[i]?.[0];
    return seen === undefined ? [] : [{ peer, seen }];
  });
  const counterPackets = Number(/packets (\d+)/.exec(delivered)?.[1] ?? NaN);
  if (Number.isNaN(counterPackets)) throw new Error(`nft reset counter: unexpected output ${JSON.stringify(delivered)}`);
  // "copy": delivered only when the raw sockets saw this packet's id, for a later packet of a
  // connection, where the counter may also hold what the host took in since the packet before.
  const deliveredCount = delivery === "copy" ? hostSeen.filter((h) => h.at === "deliver").length : counterPackets;
  if ((deliveredCount > 0 && arrivals.length > 0) || arrivals.length > 1) {
    const places = [...(deliveredCount > 0 ? ["host"] : []), ...arrivals.map((a) => a.peer)];
    throw new Error(`packet "${packetText}" arrived in several places: ${places.join(", ")}`);
  }
  if (deliveredCount > 0) {
    // The raw socket copy is missing only if delivery stopped between the hook and the socket layer.
    const seen = hostSeen.find((h) => h.at === "deliver");
    return { loaded: true, outcome: "delivered", arrivedAt: "host", ...(seen && { header: headerJson(seen) }), ...steps };
  }
  const arrival = arrivals[0];
  if (arrival === undefined) return { loaded: true, outcome: "dropped", ...steps };
  return {
    loaded: true,
    outcome: sender === "host" ? "sent" : "forwarded",
    arrivedAt: arrival.peer,
    interface: LINKS[arrival.peer].hostInterface,
    header: headerJson(arrival.seen),
    ...steps,
  };
}

function senderOf(origin: Origin): "host" | Peer {
  if ("local" in origin) return "host";
  const peer = PEER_BY_INTERFACE.get(origin.in);
  if (peer === undefined) throw new Error(`no peer behind "${origin.in}" (known: ${[...PEER_BY_INTERFACE.keys()].join(", ")})`);
  return peer;
}

function wirePacket(packet: Packet, id: number): WirePacket {
  const t = packet.transport;
  const base = {
    kind: t.kind,
    protocol: packet.protocol,
    src: formatAddress(packet.src),
    dst: formatAddress(packet.dst),
    id,
    ttl: packet.ttl,
    tos: packet.tos,
    length: packet.length,
    frag: packet.fragmentOffset,
    // Only sctp and dccp are sent as raw bytes and need it; their headers are 12 bytes, udplite's 8.
    headerLength: t.kind === "udplite" ? 8 : 12,
  };
  if (t.kind === "tcp") return { ...base, sport: t.sport, dport: t.dport, flags: t.flags };
  if ("sport" in t) return { ...base, sport: t.sport, dport: t.dport };
  if (t.kind === "icmp" || t.kind === "icmpv6") return { ...base, type: t.type, code: t.code };
  return base;
}

function headerJson(seen: SeenHeader): HeaderJson {
  // ICMPv6's number over IPv4 is no ICMP: the contract's JSON writes it as the number trace reads.
  const proto = isOtherFamilyIcmp(seen.protocol, "ipv4") ? undefined : protocolName(seen.protocol);
  const base = { proto: proto ?? String(seen.protocol), src: seen.src, dst: seen.dst };
  if (seen.sport !== undefined && seen.dport !== undefined) return { ...base, sport: seen.sport, dport: seen.dport };
  if (seen.type !== undefined && seen.code !== undefined) return { ...base, type: seen.type, code: seen.code };
  return base;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
