/**
 * Match semantics against the kernel: count-only rules in one chain, one packet, and
 * the rules whose counters moved must be exactly those nfwalk's match() says hold.
 */
import { describe, expect, test } from "vitest";
import type { MatchEnv } from "../../src/ext/semantics.js";
import { localEnvB, matchEnvB, ruleMatch } from "../helpers/match-env-b.js";
import { sharedLab } from "./agreement.js";
import { conformanceAvailable } from "./available.js";
import { kernelAnswer, type Origin } from "./oracle.js";

const available = conformanceAvailable();
if (!available.ok) console.log(`match conformance tests skipped: ${available.reason}`);

interface Case {
  readonly title: string;
  readonly chain: "INPUT" | "FORWARD" | "OUTPUT";
  readonly origin: Origin;
  readonly packet: string;
  readonly env: (packet: string) => MatchEnv;
  readonly rules: readonly string[];
}

const CASES: readonly Case[] = [
  {
    title: "a host process's packet in OUTPUT: owner, policy, tcpmss, u32, quota, connbytes, connlimit, recent, statistic",
    chain: "OUTPUT",
    origin: { local: true },
    packet: "tcp 10.99.0.1:40000 -> 10.99.1.10:80 [flags SYN]",
    env: (packet) => localEnvB({ packet }),
    rules: [
      "-m owner --uid-owner 0",
      "-m owner ! --uid-owner 0",
      "-m owner --uid-owner 1-100",
      "-m owner --gid-owner 0",
      "-m owner --socket-exists",
      "-m owner ! --socket-exists",
      "-m policy --dir out --pol none",
      "-m policy --dir out --pol ipsec",
      "-p tcp -m tcpmss ! --mss 1:65535",
      "-p tcp -m tcpmss --mss 0:65535",
      '-m u32 --u32 "6&0xFF=6&&0>>22&0x3C@0&0xFFFF=80"',
      '-m u32 --u32 "0>>22&0x3C@12>>16&0xFF=0x12"',
      '-m u32 --u32 "0>>22&0x3C@20=0"',
      "-m quota --quota 10",
      "-m quota ! --quota 10",
      "-m connbytes --connbytes 1:1 --connbytes-dir original --connbytes-mode packets",
      "-m connbytes --connbytes 1 --connbytes-dir reply --connbytes-mode packets",
      "-m connlimit --connlimit-above 0",
      "-m connlimit --connlimit-upto 0",
      "-m recent --set --name nfwalk",
      "-m statistic --mode random --probability 1",
      "-m statistic --mode random --probability 0",
    ],
  },
  {
    title: "a forwarded packet (no br_netfilter): physdev, policy in and out",
    chain: "FORWARD",
    origin: { in: "eth0" },
    packet: "udp 10.99.0.2:5353 -> 172.17.0.2:53",
    env: (packet) => matchEnvB({ packet, hook: "FORWARD", inInterface: "eth0", outInterface: "docker0" }),
    rules: [
      "-m physdev ! --physdev-is-bridged",
      "-m physdev --physdev-is-in",
      "-m physdev ! --physdev-in eth0 ! --physdev-is-in",
      "-m policy --dir in --pol none",
      "-m policy --dir out --pol none",
      "-m policy --dir in --pol ipsec",
    ],
  },
];

describe.skipIf(!available.ok)("match semantics against the kernel", () => {
  const lab = sharedLab(available);

  test.each(CASES)("$title", async (c) => {
    const dump = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...c.rules.map((r) => `-A ${c.chain} ${r}`), "COMMIT", ""].join("\n");
    const answer = await kernelAnswer(lab.topology, dump, c.packet, c.origin);
    if (!answer.loaded) throw new Error(`the kernel refused the rules: ${answer.message}`);
    const kernel = c.rules.map((_, i) => answer.rules.some((r) => r.table === "filter" && r.chain === c.chain && r.rule === i + 1));
    const env = c.env(c.packet);
    const nfwalk = c.rules.map((r) => ruleMatch(r, env, { chain: c.chain }));
    expect(Object.fromEntries(c.rules.map((r, i) => [r, nfwalk[i]]))).toEqual(Object.fromEntries(c.rules.map((r, i) => [r, kernel[i]])));
  });
});
