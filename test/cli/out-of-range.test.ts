/**
 * Numbers beyond what a field holds are refused where iptables refuses them, at the number;
 * the largest it takes still loads. With root, iptables-restore in a namespace says the same
 * for every line.
 */
import { describe, expect, test } from "vitest";
import { kernelAvailable, withNamespace } from "../kernel/netns.js";
import { runCli } from "../helpers/memory-io.js";

const CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
};
const dump = (table: string, rule: string) => [`*${table}`, ...CHAINS[table]!.map((c) => `:${c} ACCEPT [0:0]`), rule, "COMMIT", ""].join("\n");

/** [table, rule, the number refused]. */
const REFUSED: readonly (readonly [string, string, string])[] = [
  ["filter", "-A OUTPUT -m owner --uid-owner 4294967296 -j ACCEPT", "4294967296"],
  ["filter", "-A OUTPUT -m owner --uid-owner 4294967295 -j ACCEPT", "4294967295"],
  ["filter", "-A OUTPUT -m owner --gid-owner 0-4294967296 -j ACCEPT", "0-4294967296"],
  ["filter", "-A INPUT -p tcp -m tcp --dport 65536 -j ACCEPT", "65536"],
  ["filter", "-A INPUT -p tcp -m tcp --sport 99999999999999999999 -j ACCEPT", "99999999999999999999"],
  ["filter", "-A INPUT -p tcp -m multiport --dports 80,65536 -j ACCEPT", "80,65536"],
  ["filter", "-A INPUT -m mark --mark 0x100000000 -j ACCEPT", "0x100000000"],
  ["filter", "-A INPUT -m connmark --mark 4294967296 -j ACCEPT", "4294967296"],
  ["mangle", "-A PREROUTING -j MARK --set-xmark 0x1/0x100000000", "0x1/0x100000000"],
  ["filter", "-A INPUT -m length --length 0:65536 -j ACCEPT", "0:65536"],
  ["filter", "-A INPUT -m ttl --ttl-eq 256 -j ACCEPT", "256"],
  ["filter", "-A INPUT -m dscp --dscp 64 -j ACCEPT", "64"],
  ["filter", "-A INPUT -m limit --limit-burst 4294967296 -j ACCEPT", "4294967296"],
  ["filter", "-A INPUT -j LOG --log-level 8", "8"],
  ["filter", "-A INPUT -p icmp -m icmp --icmp-type 256 -j ACCEPT", "256"],
  ["filter", "-A INPUT -m statistic --mode nth --every 4294967296 --packet 0 -j ACCEPT", "4294967296"],
  ["filter", "-A INPUT -m conntrack --ctexpire 4294967296 -j ACCEPT", "4294967296"],
  ["filter", "-A INPUT -j NFQUEUE --queue-num 65536", "65536"],
  ["raw", "-A PREROUTING -j CT --zone 65536", "65536"],
  ["nat", "-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:65536", "1.2.3.4:65536"],
  ["filter", "-A INPUT -s 1.2.3.4/33 -j ACCEPT", "1.2.3.4/33"],
  ["filter", "-A INPUT -p 256 -j ACCEPT", "256"],
];

/** The largest values the same fields take. */
const ACCEPTED: readonly (readonly [string, string])[] = [
  ["filter", "-A OUTPUT -m owner --uid-owner 4294967294 -j ACCEPT"],
  ["filter", "-A INPUT -p tcp -m tcp --dport 65535 -j ACCEPT"],
  ["filter", "-A INPUT -m mark --mark 0xffffffff/0xffffffff -j ACCEPT"],
  ["filter", "-A INPUT -m length --length 0:65535 -j ACCEPT"],
  ["filter", "-A INPUT -m ttl --ttl-eq 255 -j ACCEPT"],
  ["filter", "-A INPUT -j LOG --log-level 7"],
  ["filter", "-A INPUT -j NFQUEUE --queue-num 65535"],
  ["filter", "-A INPUT -p 255 -j ACCEPT"],
  ["filter", "-A INPUT -m statistic --mode nth --every 4294967295 --packet 0 -j ACCEPT"],
  // libxt_udp takes 65536 and iptables-save prints it as 0 (the port is 16 bits): so does nfwalk.
  ["filter", "-A INPUT -p udp -m udp --dport 1:65536 -j ACCEPT"],
];

describe("numbers out of range", () => {
  test.each(REFUSED)("%s: %s is refused at the number", async (table, rule, number) => {
    const r = await runCli(["fmt", "r.v4"], { "r.v4": dump(table, rule) });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(`r.v4:${CHAINS[table]!.length + 2}:${rule.indexOf(` ${number}`) + 2}: error:`);
  });

  test.each(ACCEPTED)("%s: %s loads", async (table, rule) => {
    const r = await runCli(["fmt", "r.v4"], { "r.v4": dump(table, rule) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  const kernel = kernelAvailable();
  test.skipIf(!kernel.ok)(`iptables-restore agrees on every line${kernel.ok ? "" : ` (skipped: ${kernel.reason})`}`, async () => {
    const verdicts = await withNamespace(async (ns) => {
      const out: string[] = [];
      for (const [table, rule] of [...REFUSED, ...ACCEPTED]) out.push(`${(await ns.restore(dump(table!, rule!), "ipv4")).ok ? "loads" : "refused"}: ${rule}`);
      return out;
    });
    expect(verdicts).toEqual([...REFUSED.map(([, rule]) => `refused: ${rule}`), ...ACCEPTED.map(([, rule]) => `loads: ${rule}`)]);
  });
});
