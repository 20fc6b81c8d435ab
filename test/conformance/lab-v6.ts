/**
 * A small IPv6 lab for packet-set checks (the shared docker-host lab is IPv4 only):
 * a host with eth0 (fd00:1::1/64, default route via the peer fd00:1::2) and eth1
 * (fd00:2::1/64, peer fd00:2::2 and fd00:2::9), forwarding on, neighbours pinned so
 * no neighbour discovery depends on the rules. A packet is sent with scapy from the
 * peer behind its interface (or from the host through a kernel raw socket, which
 * takes the OUTPUT path) with a flow label nft counts by: in the host after every
 * INPUT chain (delivered) and in each peer before anything else (forwarded or sent
 * out of that link). `counted()` reads the rules and policies the packet moved; no
 * namespace answers it with an ICMPv6 parameter problem, which would move more.
 */
import { DEFAULT_SYSCTLS, parseIpAddr, parseIpRoute, type Host } from "../../src/host/index.js";
import { formatIPv6, parseIPv6 } from "../../src/model/address.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { countedSteps, type Counted } from "./counters.js";
import { addVethPair, mustExec, mustSucceed, namespaceName, netnsHandle, run, type Netns } from "../kernel/netns.js";

const LABEL = 0x5a5a5;
const TABLES = ["raw", "mangle", "nat", "filter", "security"];
/** Deletes every ip6tables table (a table the next dump does not name would stay) in one nft transaction. */
const CLEAR = TABLES.map((t) => `add table ip6 ${t}\ndelete table ip6 ${t}\n`).join("");

interface Link {
  readonly hostInterface: string;
  readonly hostMac: string;
  readonly peerMac: string;
  readonly hostAddress: string;
  readonly peerAddresses: readonly string[];
}

const LINKS: readonly Link[] = [
  { hostInterface: "eth0", hostMac: "02:6e:66:16:00:01", peerMac: "02:6e:66:16:00:02", hostAddress: "fd00:1::1/64", peerAddresses: ["fd00:1::2/64"] },
  { hostInterface: "eth1", hostMac: "02:6e:66:16:01:01", peerMac: "02:6e:66:16:01:02", hostAddress: "fd00:2::1/64", peerAddresses: ["fd00:2::2/64", "fd00:2::9/64"] },
];

export type KernelOutcome = { readonly outcome: "delivered" | "dropped" } | { readonly outcome: "forwarded" | "sent"; readonly interface: string };

export interface LabV6 {
  /** The host as `ip -json addr show` and `ip -6 -json route show` in its namespace give it. */
  readonly host: Host;
  /** Loads the dump (it must load) and sends the PACKET from `origin`: where it ended. */
  send(rules: string, packet: string, origin: { in: string } | { local: true }): Promise<KernelOutcome>;
  /** The rules and policies the last packet sent moved (ip6tables-save -c: the load before it zeroed them). */
  counted(): Promise<Counted>;
  close(): Promise<void>;
}

/**
 * The lab's namespaces send nothing of their own that would pass the host's chains and move
 * counters: no parameter problem answering a packet of an unknown next header (1, 47, …), no
 * router solicitation or multicast listener report after a link comes up. Dropped before
 * ip6tables' raw table (-300) sees them.
 */
const QUIET =
  "table ip6 quiet {\n  chain out {\n    type filter hook output priority -500; policy accept;\n    icmpv6 type { parameter-problem, nd-router-solicit, mld-listener-report, mld2-listener-report } drop\n  }\n}\n";

/** An nft table counting the lab's packets (by their flow label) at one hook. */
function counterTable(name: string, hook: string, priority: number): string {
  return `table ip6 oracle {\n  counter ${name} { }\n  chain c {\n    type filter hook ${hook} priority ${priority}; policy accept;\n    ip6 flowlabel ${LABEL} counter name "${name}"\n  }\n}\n`;
}

export async function openLabV6(python: string): Promise<LabV6> {
  const prefix = namespaceName();
  const host = netnsHandle(`${prefix}-h6`);
  const peers = LINKS.map((_, i) => netnsHandle(`${prefix}-p6${i}`));
  const all = [host, ...peers];
  try {
    return await build(python, host, peers);
  } catch (e) {
    for (const ns of all) await run(["ip", "netns", "del", ns.name]);
    throw e;
  }
}

async function build(python: string, host: Netns, peers: readonly Netns[]): Promise<LabV6> {
  const all = [host, ...peers];
  for (const ns of all) {
    await mustSucceed(["ip", "netns", "add", ns.name]);
    // Addresses usable at once (no duplicate address detection), including the link-local ones.
    for (const scope of ["all", "default"]) await mustExec(ns, ["sysctl", "-qw", `net.ipv6.conf.${scope}.accept_dad=0`]);
    await mustExec(ns, ["ip", "link", "set", "lo", "up"]);
    await mustExec(ns, ["nft", "-f", "-"], QUIET);
  }
  await mustExec(host, ["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"]);
  for (const [i, link] of LINKS.entries()) {
    const peer = peers[i]!;
    await addVethPair({ netns: host.name, name: link.hostInterface, mac: link.hostMac }, { netns: peer.name, name: "eth0", mac: link.peerMac });
    await mustExec(host, ["ip", "addr", "add", link.hostAddress, "dev", link.hostInterface, "nodad"]);
    await mustExec(host, ["ip", "link", "set", link.hostInterface, "up"]);
    for (const a of link.peerAddresses) {
      await mustExec(peer, ["ip", "addr", "add", a, "dev", "eth0", "nodad"]);
      await mustExec(host, ["ip", "-6", "neigh", "replace", a.split("/")[0]!, "lladdr", link.peerMac, "dev", link.hostInterface, "nud", "permanent"]);
    }
    await mustExec(peer, ["ip", "link", "set", "eth0", "up"]);
    await mustExec(peer, ["nft", "-f", "-"], counterTable("seen", "prerouting", -500));
  }
  await mustExec(host, ["ip", "-6", "route", "add", "default", "via", "fd00:1::2", "dev", "eth0"]);
  await mustExec(host, ["nft", "-f", "-"], counterTable("delivered", "input", 500));
  const addr = parseIpAddr((await mustExec(host, ["ip", "-json", "addr", "show"])).stdout, "ip-addr.json");
  const route = parseIpRoute((await mustExec(host, ["ip", "-6", "-json", "route", "show"])).stdout, "ip-route.json");
  if (!addr.ok || !route.ok) throw new Error("the lab's host does not read back");
  const hostModel: Host = { interfaces: addr.value, routes: route.value, sysctls: DEFAULT_SYSCTLS, origin: { kind: "files" } };

  const count = async (ns: Netns, name: string) => Number(/packets (\d+)/.exec((await mustExec(ns, ["nft", "reset", "counter", "ip6", "oracle", name])).stdout)?.[1] ?? NaN);
  return {
    host: hostModel,
    async send(rules, packetText, origin) {
      await mustExec(host, ["nft", "-f", "-"], CLEAR);
      const load = await host.restore(rules, "ipv6");
      if (!load.ok) throw new Error(`ip6tables-restore refused the dump: ${load.message}`);
      await run(["ip", "netns", "exec", host.name, "conntrack", "-F"]);
      await count(host, "delivered");
      for (const p of peers) await count(p, "seen");
      const script = scapyScript(packetText, origin);
      // A destination on a link answers neighbour discovery whatever the rules: the lab pins it to that link's peer.
      await pinNeighbour(host, packetText);
      const sender = "local" in origin ? host : peers[LINKS.findIndex((l) => l.hostInterface === origin.in)]!;
      await mustExec(sender, [python, "-c", script]);
      await new Promise((r) => setTimeout(r, 150));
      if ((await count(host, "delivered")) > 0) return { outcome: "delivered" };
      for (const [i, p] of peers.entries()) if ((await count(p, "seen")) > 0) return { outcome: "local" in origin ? "sent" : "forwarded", interface: LINKS[i]!.hostInterface };
      return { outcome: "dropped" };
    },
    async counted() {
      return countedSteps((await mustExec(host, ["ip6tables-save", "-c"])).stdout);
    },
    async close() {
      for (const ns of all) await run(["ip", "netns", "del", ns.name]);
    },
  };
}

async function pinNeighbour(host: Netns, packetText: string): Promise<void> {
  const parsed = parsePacketSpec(packetText);
  if (!parsed.ok || parsed.packet.family !== "ipv6") return;
  const dst = parsed.packet.dst.value as bigint;
  for (const link of LINKS) {
    // Every link is a /64.
    const own = parseIPv6(link.hostAddress.split("/")[0]!)!;
    if (dst >> 64n === own >> 64n) {
      await mustExec(host, ["ip", "-6", "neigh", "replace", formatIPv6(dst), "lladdr", link.peerMac, "dev", link.hostInterface, "nud", "permanent"]);
    }
  }
}

/** The PACKET as a scapy send: from a peer on its link (layer 2), or from the host by a kernel raw socket (OUTPUT). */
function scapyScript(packetText: string, origin: { in: string } | { local: true }): string {
  const parsed = parsePacketSpec(packetText);
  if (!parsed.ok || parsed.packet.family !== "ipv6") throw new Error(`not an IPv6 PACKET: ${packetText}`);
  const p = parsed.packet;
  const t = p.transport;
  const upper =
    t.kind === "tcp"
      ? `TCP(sport=${t.sport}, dport=${t.dport}, flags=${t.flags})`
      : t.kind === "udp"
        ? `UDP(sport=${t.sport}, dport=${t.dport})`
        : t.kind === "icmpv6"
          ? `ICMPv6Unknown(type=${t.type}, code=${t.code}) / Raw(b"\\x00\\x01\\x00\\x01")`
          : `Raw(b"x" * 8)`;
  const ip = `IPv6(src="${formatIPv6(p.src.value as bigint)}", dst="${formatIPv6(p.dst.value as bigint)}", fl=${LABEL}, hlim=${p.ttl}, tc=${p.tos}${t.kind === "other" ? `, nh=${p.protocol}` : ""})`;
  // Padded to the PACKET's length (`[length N]`), which counts the IPv6 header.
  const header = 40 + (t.kind === "tcp" ? 20 : 8);
  const padding = p.length > header ? ` / Raw(b"x" * ${p.length - header})` : "";
  const lines = ["from scapy.all import *", `pkt = ${ip} / ${upper}${padding}`];
  if ("local" in origin) {
    // IPPROTO_RAW over IPv6 sends the header as given, through the OUTPUT hook.
    lines.push(
      "import socket",
      "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)",
      "try:",
      `    s.sendto(bytes(pkt), ("${formatIPv6(p.dst.value as bigint)}", 0))`,
      "except OSError:",
      "    pass",
    );
  } else {
    const link = LINKS.find((l) => l.hostInterface === origin.in);
    if (!link) throw new Error(`the lab has no ${origin.in}`);
    lines.push(`sendp(Ether(src="${link.peerMac}", dst="${link.hostMac}") / pkt, iface="eth0", verbose=False)`);
  }
  return lines.join("\n");
}
