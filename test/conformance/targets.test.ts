/**
 * Target semantics against the kernel: a target in an early table or chain
 * (MARK, CONNMARK, TTL, DSCP, TOS, CT, NOTRACK, REJECT), then count-only rules
 * that read what it changed. nfwalk's whole trace (outcome, header, every
 * counted rule and policy) must agree with the kernel's. One lab.topology for the
 * file; skips without root.
 */
import { describe, expect, test } from "vitest";
import { compare, sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import type { Origin } from "./oracle.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`target conformance tests skipped: ${available.reason}`);

const CHAINS: Readonly<Record<string, readonly string[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
};

/** A dump of the tables given, each `-A` line as written. */
function dump(tables: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(tables)
    .map(([table, rules]) => [`*${table}`, ...CHAINS[table]!.map((c) => `:${c} ACCEPT [0:0]`), ...rules, "COMMIT", ""].join("\n"))
    .join("");
}

interface TargetCase {
  readonly title: string;
  readonly origin: Origin;
  readonly packet: string;
  readonly rules: string;
}

const FROM_EXT = { in: "eth0" } as const;
const TO_HOST = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080";

const CASES: readonly TargetCase[] = [
  {
    title: "NETMAP in nat PREROUTING keeps the host part: 10.99.0.1 → 172.17.0.1 in 172.17.0.0/16",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({ nat: ["-A PREROUTING -d 10.99.0.0/16 -j NETMAP --to 172.17.0.0/16"] }),
  },
  {
    title: "NETMAP in nat POSTROUTING maps the source of a forwarded packet",
    origin: { in: "docker0" },
    packet: "tcp 172.17.0.2:40000 -> 10.99.1.10:443",
    rules: dump({ nat: ["-A POSTROUTING -o eth0 -j NETMAP --to 10.98.0.0/16"] }),
  },
  {
    title: "MARK in mangle PREROUTING, read by -m mark in filter INPUT",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({
      mangle: ["-A PREROUTING -j MARK --set-mark 0x5", "-A PREROUTING -j MARK --or-mark 0x100", "-A INPUT -m mark --mark 0x105"],
      filter: ["-A INPUT -m mark --mark 0x5", "-A INPUT -m mark --mark 0x105", "-A INPUT -m mark --mark 0x100/0x100 -j DROP"],
    }),
  },
  {
    title: "CONNMARK --set-mark, then --restore-mark with a mask",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({
      mangle: ["-A PREROUTING -j MARK --set-mark 0xf0", "-A PREROUTING -j CONNMARK --set-mark 0x1234", "-A PREROUTING -j CONNMARK --restore-mark --ctmask 0xff --nfmask 0xf"],
      filter: ["-A INPUT -m connmark --mark 0x1234", "-A INPUT -m mark --mark 0xf4", "-A INPUT -m mark --mark 0x34"],
    }),
  },
  {
    title: "CONNMARK --save-mark with masks and a shift",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({
      mangle: ["-A PREROUTING -j CONNMARK --set-mark 0xff00", "-A PREROUTING -j MARK --set-mark 0x1234", "-A PREROUTING -j CONNMARK --save-mark --nfmask 0xff00 --ctmask 0xff --right-shift-mark 8"],
      filter: ["-A INPUT -m connmark --mark 0xff12", "-A INPUT -m connmark --mark 0x12", "-A INPUT -m connmark --mark 0xff00"],
    }),
  },
  {
    title: "CONNMARK in raw does nothing: conntrack has not run",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({ raw: ["-A PREROUTING -j CONNMARK --set-mark 0x9"], filter: ["-A INPUT -m connmark --mark 0x9", "-A INPUT -m connmark --mark 0x0"] }),
  },
  {
    title: "TTL set in PREROUTING, spent by forwarding, read in FORWARD",
    origin: FROM_EXT,
    packet: "udp 10.99.0.2:5353 -> 172.17.0.2:53",
    rules: dump({ mangle: ["-A PREROUTING -j TTL --ttl-set 10", "-A PREROUTING -j TTL --ttl-inc 5"], filter: ["-A FORWARD -m ttl --ttl-eq 14", "-A FORWARD -m ttl --ttl-eq 15"] }),
  },
  {
    title: "TTL decremented to 1 in PREROUTING: routing refuses to forward it",
    origin: FROM_EXT,
    packet: "udp 10.99.0.2:5353 -> 172.17.0.2:53",
    rules: dump({ mangle: ["-A PREROUTING -j TTL --ttl-dec 63"], filter: ["-A FORWARD"] }),
  },
  {
    title: "DSCP and TOS rewrite the TOS byte",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({
      mangle: ["-A PREROUTING -j DSCP --set-dscp-class EF", "-A INPUT -m dscp --dscp 0x2e", "-A INPUT -j TOS --and-tos 0x0f", "-A INPUT -m tos --tos 0x08/0xff"],
      filter: ["-A INPUT -m tos --tos 0x08/0xff", "-A INPUT -m dscp --dscp 0x2"],
    }),
  },
  {
    title: "CT --notrack and NOTRACK: the packet is UNTRACKED",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({ raw: ["-A PREROUTING -p tcp -j CT --notrack", "-A PREROUTING -p udp -j NOTRACK"], filter: ["-A INPUT -m state --state UNTRACKED", "-A INPUT -m conntrack --ctstate NEW"] }),
  },
  {
    title: "CT --zone from the mark",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({ raw: ["-A PREROUTING -j MARK --set-mark 0x10007", "-A PREROUTING -j CT --zone mark"], filter: ["-A INPUT -m conntrack --ctstate NEW"] }),
  },
  {
    title: "REJECT with tcp-reset ends the walk",
    origin: FROM_EXT,
    packet: TO_HOST,
    rules: dump({ filter: ["-A INPUT -p tcp -j REJECT --reject-with tcp-reset", "-A INPUT"] }),
  },
  {
    title: "REJECT of a locally sent packet in OUTPUT",
    origin: { local: true },
    packet: "udp 10.99.0.1:5353 -> 10.99.1.10:53",
    rules: dump({ filter: ["-A OUTPUT -p udp -j REJECT --reject-with icmp-admin-prohibited", "-A OUTPUT"] }),
  },
  {
    title: "LOG, NFLOG, TEE and CLASSIFY go on to the next rule",
    origin: FROM_EXT,
    packet: "udp 10.99.0.2:5353 -> 172.17.0.2:53",
    rules: dump({
      mangle: ["-A FORWARD -j LOG --log-prefix seen", "-A FORWARD -j NFLOG --nflog-group 3", "-A FORWARD -j TEE --gateway 10.99.0.7", "-A POSTROUTING -j CLASSIFY --set-class 1:1", "-A POSTROUTING"],
    }),
  },
];

describe.skipIf(!available.ok)("targets against the kernel", () => {
  const lab = sharedLab(available);

  test.each(CASES)(
    "$title",
    async (c) => {
      const verdict = await compare(lab.topology, lab.host, { rules: c.rules, packet: c.packet, origin: c.origin });
      expect(verdict.differences, JSON.stringify({ kernel: verdict.kernel, nfwalk: verdict.nfwalk }, null, 1)).toEqual([]);
    },
    30_000,
  );
});
