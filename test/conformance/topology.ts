/**
 * The docker-host topology of ../shared/fixtures/docker-host/README.md, built from network
 * namespaces: a host with eth0 and three bridges, a client/gateway `ext` and three
 * containers. Built once per test file and reused for many packets; the oracle resets
 * rules, conntrack and counters between packets.
 */
import { addVethPair, mustExec as must, mustSucceed, namespaceName, netnsHandle, type Netns } from "../kernel/netns.js";
import { Helper } from "./helper.js";

export type Role = "host" | "ext" | "ctr" | "ctr2" | "ctr3";
export type Peer = Exclude<Role, "host">;

export const PEERS: readonly Peer[] = ["ext", "ctr", "ctr2", "ctr3"];

/** Socket mark of packets a host process sends; the host's silencer lets only those out. */
export const INJECT_MARK = 0x6e660000;

/** The name of the nft table (in every namespace) that silences replies and counts delivery. */
export const ORACLE_TABLE = "nfwalk_oracle";

/** How each peer hangs off the host: the host interface it sits behind and the MACs on either side. */
export interface Link {
  /** The host interface a packet from or to this peer uses (the bridge for containers). */
  readonly hostInterface: string;
  /** The MAC of that host interface, the destination of frames the peer injects. */
  readonly hostMac: string;
  /** The peer's eth0 MAC. */
  readonly peerMac: string;
  /** The peer's eth0 address. */
  readonly peerAddress: string;
}

/*
 * Fixed MACs (locally administered) so frames can be injected and neighbours pinned
 * without reading anything back.
 */
export const LINKS: Readonly<Record<Peer, Link>> = {
  ext: { hostInterface: "eth0", hostMac: "02:6e:66:00:00:01", peerMac: "02:6e:66:00:00:02", peerAddress: "10.99.0.2" },
  ctr: { hostInterface: "docker0", hostMac: "02:6e:66:00:01:01", peerMac: "02:6e:66:00:01:02", peerAddress: "172.17.0.2" },
  ctr2: { hostInterface: "br-net1", hostMac: "02:6e:66:00:02:01", peerMac: "02:6e:66:00:02:02", peerAddress: "172.18.0.2" },
  ctr3: { hostInterface: "br-dummy", hostMac: "02:6e:66:00:03:01", peerMac: "02:6e:66:00:03:02", peerAddress: "192.168.0.2" },
};

interface Bridge {
  readonly port: string;
  readonly portMac: string;
  readonly address: string;
}

const BRIDGES: Readonly<Record<Exclude<Peer, "ext">, Bridge>> = {
  ctr: { port: "veth-ctr", portMac: "02:6e:66:00:01:fe", address: "172.17.0.1/16" },
  ctr2: { port: "veth-ctr2", portMac: "02:6e:66:00:02:fe", address: "172.18.0.1/16" },
  ctr3: { port: "veth-ctr3", portMac: "02:6e:66:00:03:fe", address: "192.168.0.1/24" },
};

/** Per peer: its eth0 address, its routes (main table), the subnet it answers ARP for, and the host's address there. */
const PEER_NET: Readonly<Record<Peer, { address: string; routes: string[][]; subnet: string; hostAddress: string }>> = {
  ext: {
    address: "10.99.0.2/24",
    routes: [
      ["172.16.0.0/12", "via", "10.99.0.1"],
      ["192.168.0.0/24", "via", "10.99.0.1"],
    ],
    subnet: "10.99.0.0/24",
    hostAddress: "10.99.0.1",
  },
  ctr: { address: "172.17.0.2/16", routes: [["default", "via", "172.17.0.1"]], subnet: "172.17.0.0/16", hostAddress: "172.17.0.1" },
  ctr2: { address: "172.18.0.2/16", routes: [["default", "via", "172.18.0.1"]], subnet: "172.18.0.0/16", hostAddress: "172.18.0.1" },
  ctr3: { address: "192.168.0.2/24", routes: [["default", "via", "192.168.0.1"]], subnet: "192.168.0.0/24", hostAddress: "192.168.0.1" },
};

/*
 * IPv6 off (router solicitations, MLD and DAD would move counters), reverse-path
 * filtering off as on the fixture host, and no br_netfilter: bridged-frame hooks are not
 * what the fixture describes (`-e`: the key exists only where the module is loaded).
 */
const COMMON_SYSCTLS = ["net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"];
const HOST_SYSCTLS = ["net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-arptables=0"];

/*
 * Every namespace drops what it would send itself (replies provoked by the packet: RST,
 * SYN-ACK, ICMP errors, REJECT's answer) at priority -1000, before iptables' raw table
 * and conntrack, so they move no counter. Peers inject with AF_PACKET, which skips this
 * hook. The host lets out only packets of the injecting socket (its mark) and clears the
 * mark there, so the host's rules see an unmarked packet, as a process would send it.
 * The input chain at priority 1000, after every iptables table, counts local delivery.
 *
 * Connection tracking runs in a namespace only while something uses it (a NAT target, a
 * conntrack or state match, an nft ct expression); without it nat chains see no packet
 * at all. A real host nearly always has a user, so by default the host's oracle table
 * is one: a ct expression in a chain no hook reaches.
 */
const PEER_NFT = `table ip ${ORACLE_TABLE} {
  chain silence { type filter hook output priority -1000; policy drop; }
}
`;
const hostNft = (track: boolean): string => `table ip ${ORACLE_TABLE} {
  counter delivered { }${track ? "\n  chain track {\n    ct state new\n  }" : ""}
  chain silence {
    type filter hook output priority -1000; policy drop;
    meta mark ${INJECT_MARK} meta mark set 0 accept
  }
  chain observe {
    type filter hook input priority 1000; policy accept;
    counter name "delivered"
  }
}
`;

export interface Topology {
  readonly namespaces: Readonly<Record<Role, Netns>>;
  readonly helpers: Readonly<Record<Role, Helper>>;
  /**
   * The host keeps connection tracking on whatever the ruleset (its oracle table uses it), as a
   * host with other conntrack users does; false: conntrack runs only while the ruleset needs it.
   */
  readonly keepsConntrack: boolean;
  /** A fresh IP id for the next injected packet, so no observer mistakes an older one for it. */
  nextId(): number;
  /** Stops the helpers and deletes every namespace; safe to call after a failed build. */
  destroy(): Promise<void>;
}

/** Builds the topology; on any failure everything created so far is removed before rethrowing. */
export interface TopologyOptions {
  /** Keep connection tracking on in the host whatever the ruleset (default true; see hostNft). */
  readonly conntrack?: boolean;
}

export async function buildTopology(python: string, options: TopologyOptions = {}): Promise<Topology> {
  const prefix = namespaceName();
  const names = Object.fromEntries((["host", ...PEERS] as Role[]).map((role) => [role, `${prefix}-${role}`])) as Record<Role, string>;
  const created: string[] = [];
  const helpers: Helper[] = [];
  const destroy = async (): Promise<void> => {
    for (const helper of helpers) helper.stop();
    await Promise.all(helpers.map((h) => h.exit()));
    const errors: string[] = [];
    for (const name of created.splice(0)) {
      await mustSucceed(["ip", "netns", "del", name]).catch((e: Error) => errors.push(e.message));
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  };
  try {
    for (const name of Object.values(names)) {
      await mustSucceed(["ip", "netns", "add", name]);
      created.push(name);
    }
    const ns = Object.fromEntries(Object.entries(names).map(([role, name]) => [role, netnsHandle(name)])) as Record<Role, Netns>;
    await Promise.all(Object.values(ns).map((n) => must(n, ["sysctl", "-q", "-e", "-w", ...COMMON_SYSCTLS])));
    await must(ns.host, ["sysctl", "-q", "-e", "-w", ...HOST_SYSCTLS]);
    await wire(names, ns);
    await Promise.all([must(ns.host, ["nft", "-f", "-"], hostNft(options.conntrack ?? true)), ...PEERS.map((p) => must(ns[p], ["nft", "-f", "-"], PEER_NFT))]);
    const started = await Promise.all([
      Helper.start(python, names.host, { deliver: true, mark: INJECT_MARK }).then(track(helpers)),
      ...PEERS.map((p) => Helper.start(python, names[p], { capture: "eth0", mark: INJECT_MARK }).then(track(helpers))),
    ]);
    const [host, ext, ctr, ctr2, ctr3] = started as [Helper, Helper, Helper, Helper, Helper];
    // Random start: two topologies (overlapping runs) never share ids anyway, but a fresh
    // start makes a stale packet from an earlier file's run stand out.
    let id = 1 + Math.floor(Math.random() * 0xfffe);
    return {
      namespaces: ns,
      helpers: { host, ext, ctr, ctr2, ctr3 },
      keepsConntrack: options.conntrack ?? true,
      nextId: () => (id = (id % 0xffff) + 1),
      destroy,
    };
  } catch (e) {
    await destroy().catch(() => {});
    throw e;
  }
}

function track(list: Helper[]): (helper: Helper) => Helper {
  return (helper) => {
    list.push(helper);
    return helper;
  };
}

/** Links, bridges, addresses, routes and pinned neighbours, as the fixture README lays them out. */
async function wire(names: Record<Role, string>, ns: Record<Role, Netns>): Promise<void> {
  const host = ns.host;
  for (const peer of PEERS) {
    const link = LINKS[peer];
    const hostEnd = peer === "ext" ? { name: "eth0", mac: link.hostMac } : { name: BRIDGES[peer].port, mac: BRIDGES[peer].portMac };
    await addVethPair({ netns: names.host, name: hostEnd.name, mac: hostEnd.mac }, { netns: names[peer], name: "eth0", mac: link.peerMac });
    const peerNs = ns[peer];
    const net = PEER_NET[peer];
    await must(peerNs, ["ip", "addr", "add", net.address, "dev", "eth0"]);
    await must(peerNs, ["ip", "link", "set", "eth0", "up"]);
    await must(peerNs, ["ip", "link", "set", "lo", "up"]);
    for (const route of net.routes) await must(peerNs, ["ip", "route", "add", ...route]);
    // A peer answers ARP for its whole subnet, so a packet the host routes to any
    // address there (not just the one container) arrives and is seen.
    // The host's own address stays remote: ARP ignores requests whose sender is local.
    await must(peerNs, ["ip", "route", "add", "local", net.subnet, "dev", "lo", "table", "local"]);
    await must(peerNs, ["ip", "route", "add", `${net.hostAddress}/32`, "dev", "eth0", "table", "local"]);
    if (peer !== "ext") {
      const bridge = BRIDGES[peer];
      await must(host, ["ip", "link", "add", "name", link.hostInterface, "address", link.hostMac, "type", "bridge"]);
      await must(host, ["ip", "link", "set", bridge.port, "master", link.hostInterface]);
      await must(host, ["ip", "addr", "add", bridge.address, "dev", link.hostInterface]);
      await must(host, ["ip", "link", "set", bridge.port, "up"]);
    } else {
      await must(host, ["ip", "addr", "add", "10.99.0.1/24", "dev", "eth0"]);
    }
    await must(host, ["ip", "link", "set", link.hostInterface, "up"]);
    // Pinned, so no packet waits for (or is lost to) ARP resolution of a known peer.
    await must(host, ["ip", "neigh", "replace", link.peerAddress, "lladdr", link.peerMac, "dev", link.hostInterface, "nud", "permanent"]);
  }
  await must(ns.ext, ["ip", "addr", "add", "10.99.1.10/32", "dev", "lo"]);
  await must(host, ["ip", "link", "set", "lo", "up"]);
  await must(host, ["ip", "route", "add", "default", "via", "10.99.0.2"]);
}
