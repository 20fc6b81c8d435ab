/**
 * What users paste as rules: `iptables -S` output loads; `iptables -L` listings and `nft list
 * ruleset` are refused with exit 2 and one line that says which command to run instead.
 */
import { describe, expect, test } from "vitest";
import { parseRuleset } from "../../src/index.js";
import { runCli } from "../helpers/memory-io.js";

const LIST = [
  "Chain INPUT (policy DROP)",
  "target     prot opt source               destination",
  "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh",
  "",
  "Chain DOCKER (1 references)",
  "target     prot opt source               destination",
  "",
].join("\n");
const LIST_VERBOSE = [
  "Chain INPUT (policy ACCEPT 120 packets, 9600 bytes)",
  "num   pkts bytes target     prot opt in     out     source               destination",
  "1        0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22",
  "",
].join("\n");
const LIST6 = [
  "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)",
  " pkts bytes target     prot opt in     out     source               destination",
  "    0     0 ACCEPT     6    --  *      *       ::/0                 2001:db8::1/128      tcp dpt:22",
  "",
].join("\n");
const NFT = ["table ip filter {", "\tchain INPUT {", "\t\ttype filter hook input priority filter; policy accept;", "\t}", "}", ""].join("\n");

/** Exit 2, nothing on stdout, and exactly one line on stderr: the one returned. */
async function refusal(text: string): Promise<string> {
  const r = await runCli(["fmt", "pasted.txt"], { "pasted.txt": text });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.split("\n")).toHaveLength(2);
  expect(r.stderr.endsWith("\n")).toBe(true);
  return r.stderr.trimEnd();
}

describe("listings nfwalk cannot read", () => {
  test("`iptables -L` is refused in one line naming iptables-save", async () => {
    const line = await refusal(LIST);
    expect(line).toBe("pasted.txt:1:1: error: this is `iptables -L` output, which leaves out parts of the rules: run `iptables-save` and give nfwalk what it prints [iptables-list]");
  });

  test("`iptables -L -n -v --line-numbers` after a prompt and iptables-nft's legacy warning: the same, at its first line", async () => {
    expect(await refusal(`# Warning: iptables-legacy tables present, use iptables-legacy to see them\nroot@host:~# iptables -L -n -v --line-numbers\n${LIST_VERBOSE}`)).toMatch(
      /^pasted\.txt:3:1: error: this is `iptables -L` output.*`iptables-save`/,
    );
  });

  test("a prompt in brackets (`[root@host ~]#`) is a prompt, not counters", async () => {
    expect(await refusal(`[root@host ~]# iptables -L\n${LIST}`)).toMatch(/^pasted\.txt:2:1: error: this is `iptables -L` output/);
    const r = await runCli(["fmt", "pasted.txt"], { "pasted.txt": "[root@host ~]# iptables -t raw -S\n-P PREROUTING ACCEPT\n-P OUTPUT ACCEPT\n" });
    expect(r.stdout).toBe("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
  });

  test("`ip6tables -L` names ip6tables-save, told by its addresses or by the command pasted with it", async () => {
    expect(await refusal(LIST6)).toContain("run `ip6tables-save`");
    expect(await refusal(`$ sudo ip6tables -L\n${LIST}`)).toContain("run `ip6tables-save`");
  });

  test("`nft list ruleset` is refused in one line naming the save command of its family", async () => {
    expect(await refusal(NFT)).toBe(
      "pasted.txt:1:1: error: this is `nft list ruleset` output, which nfwalk does not read: run `iptables-save` and give nfwalk what it prints (rules made with nft itself cannot be simulated) [nft-ruleset]",
    );
    expect(await refusal(NFT.replace("table ip ", "table ip6 "))).toContain("run `ip6tables-save` and");
    expect(await refusal(`#!/usr/sbin/nft -f\nflush ruleset\n${NFT.replace("table ip ", "table inet ")}`)).toContain("run `iptables-save` (and `ip6tables-save`)");
  });

  test("every command that reads rules refuses them the same way", async () => {
    const r = await runCli(["trace", "--rules", "pasted.txt", "--local", "tcp 10.0.0.1:40000 -> 10.0.0.2:80"], { "pasted.txt": LIST });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pasted\.txt:1:1: error: this is `iptables -L` output[^\n]*\n$/);
  });
});

describe("`iptables -S` output as rules", () => {
  test("fmt prints it as the dump iptables-save would have printed", async () => {
    const pasted = "$ sudo iptables -S\n-P INPUT DROP\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n";
    const r = await runCli(["fmt", "pasted.txt"], { "pasted.txt": pasted });
    expect(r).toEqual({ code: 0, stderr: "", stdout: "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n" });
  });

  test("trace walks it, naming the user's lines", async () => {
    const pasted = "-P INPUT DROP\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n";
    const r = await runCli(["trace", "--rules", "pasted.txt", "--in", "eth0", "--json", "tcp 10.0.0.2:40000 -> 10.0.0.1:22"], { "pasted.txt": pasted });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).steps).toContainEqual(expect.objectContaining({ table: "filter", chain: "INPUT", type: "rule", rule: 1, line: 4, target: "ACCEPT" }));
  });
});

describe("dumps of iptables-save's variants", () => {
  test("an ip6tables-nft-save or -legacy-save header says IPv6", () => {
    for (const program of ["ip6tables-nft-save", "ip6tables-legacy-save"]) {
      const loaded = parseRuleset(`# Generated by ${program} v1.8.9 on Sun Dec  6 04:06:58 2026\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n`, { file: "rules" });
      expect(loaded.ok && loaded.ruleset.family, program).toBe("ipv6");
    }
  });
});
