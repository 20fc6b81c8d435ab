/**
 * An IPv6 later fragment on a host without connection tracking (the docker-host lab is
 * IPv4 only): two namespaces, ip6tables rules that need no conntrack, one fragment sent
 * with scapy. IPv6 reassembles in its fragment header's handler, after the INPUT hook, so
 * INPUT's rules count the fragment before it waits for the rest; nfwalk must count the same.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseRuleset } from "../../src/index.js";
import { tracePacket } from "../../src/engine/pipeline.js";
import { parseIpAddr, parseIpRoute, DEFAULT_SYSCTLS } from "../../src/host/index.js";
import { parsePacketSpec } from "../../src/packet/spec.js";
import { addVethPair, mustExec, mustSucceed, namespaceName, netnsHandle, run } from "../kernel/netns.js";
import { conformanceAvailable } from "./available.js";
import { countedSteps } from "./counters.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`IPv6 fragment conformance skipped: ${available.reason}`);

const RULES = ["*raw", ":PREROUTING ACCEPT [0:0]", "-A PREROUTING -s fd00::2/128", "COMMIT", "*filter", ":INPUT ACCEPT [0:0]", "-A INPUT -m frag", "-A INPUT", "COMMIT", ""].join("\n");

const SEND = `
from scapy.all import Ether, IPv6, IPv6ExtHdrFragment, Raw, sendp
sendp(Ether(src="02:6e:66:06:00:02", dst="02:6e:66:06:00:01") / IPv6(src="fd00::2", dst="fd00::1") / IPv6ExtHdrFragment(offset=10, m=0, id=4711, nh=17) / Raw(b"x" * 16), iface="eth0", verbose=False)
`;

describe.skipIf(!available.ok)("an IPv6 later fragment without conntrack (kernel)", () => {
  const prefix = namespaceName();
  const host = netnsHandle(`${prefix}-h`);
  const peer = netnsHandle(`${prefix}-p`);

  beforeAll(async () => {
    await mustSucceed(["ip", "netns", "add", host.name]);
    await mustSucceed(["ip", "netns", "add", peer.name]);
    await addVethPair({ netns: host.name, name: "eth0", mac: "02:6e:66:06:00:01" }, { netns: peer.name, name: "eth0", mac: "02:6e:66:06:00:02" });
    for (const [ns, address] of [
      [host, "fd00::1/64"],
      [peer, "fd00::2/64"],
    ] as const) {
      await mustExec(ns, ["ip", "addr", "add", address, "dev", "eth0", "nodad"]);
      await mustExec(ns, ["ip", "link", "set", "eth0", "up"]);
    }
  }, 30_000);
  afterAll(async () => {
    await run(["ip", "netns", "del", host.name]);
    await run(["ip", "netns", "del", peer.name]);
  });

  test("INPUT counts it, then it waits in reassembly: nfwalk counts the same rules", async () => {
    expect(await host.restore(RULES, "ipv6")).toEqual({ ok: true });
    await mustExec(peer, [available.ok ? available.python : "python3", "-c", SEND]);
    await new Promise((r) => setTimeout(r, 200));
    const kernel = countedSteps((await mustExec(host, ["ip6tables-save", "-c"])).stdout);
    const counted = [...kernel.rules.map((r) => `${r.table} ${r.chain} #${r.rule}`), ...kernel.policies.map((p) => `${p.table} ${p.chain} ${p.policy}`)].sort();

    const loaded = parseRuleset(RULES, { file: "rules.v6", family: "ipv6" });
    const addr = parseIpAddr((await mustExec(host, ["ip", "-json", "addr", "show"])).stdout, "ip-addr.json");
    const route = parseIpRoute((await mustExec(host, ["ip", "-6", "-json", "route", "show"])).stdout, "ip-route.json");
    const packet = parsePacketSpec("udp [fd00::2]:40000 -> [fd00::1]:53 [frag 10]");
    if (!loaded.ok || !addr.ok || !route.ok || !packet.ok) throw new Error("cannot read the case");
    const trace = tracePacket({
      ruleset: loaded.ruleset,
      host: { interfaces: addr.value, routes: route.value, sysctls: DEFAULT_SYSCTLS, origin: { kind: "files" } },
      packet: packet.packet,
      ingress: { kind: "interface", name: "eth0" },
    });
    const steps = trace.steps.flatMap((s) => (s.type === "rule" ? [`${s.table} ${s.chain} #${s.rule}`] : s.type === "policy" ? [`${s.table} ${s.chain} ${s.policy}`] : [])).sort();
    expect(counted).toEqual(["filter INPUT #1", "filter INPUT #2", "filter INPUT ACCEPT", "raw PREROUTING #1", "raw PREROUTING ACCEPT"]);
    expect(steps).toEqual(counted);
    expect(trace.outcome).toBe("dropped");
  });
});
