/**
 * `iptables -S` output as rules (src/ruleset/list-rules.ts): which table, several outputs
 * pasted together, `-v` counters, and positioned errors for what does not fit.
 */
import { describe, expect, test } from "vitest";
import { formatRuleset, parseRuleset, type Diagnostic } from "../../src/index.js";
import { inPieces } from "../helpers/memory-io.js";

const filterOutput = [
  "-P INPUT ACCEPT",
  "-P FORWARD DROP",
  "-P OUTPUT ACCEPT",
  "-N DOCKER",
  "-A FORWARD -o docker0 -j DOCKER",
  "-A DOCKER -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j ACCEPT",
  "",
].join("\n");
const natOutput = ["-P PREROUTING ACCEPT", "-P INPUT ACCEPT", "-P OUTPUT ACCEPT", "-P POSTROUTING ACCEPT", "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", ""].join("\n");

const filterDump = [
  "*filter",
  ":INPUT ACCEPT [0:0]",
  ":FORWARD DROP [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":DOCKER - [0:0]",
  "-A FORWARD -o docker0 -j DOCKER",
  "-A DOCKER -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j ACCEPT",
  "COMMIT",
  "",
].join("\n");
const natDump = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":INPUT ACCEPT [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":POSTROUTING ACCEPT [0:0]",
  "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
  "COMMIT",
  "",
].join("\n");

function fmt(text: string, counters = false): string {
  const loaded = parseRuleset(inPieces(text, 2), { file: "pasted" });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  return formatRuleset(loaded.ruleset, { counters });
}

function errors(text: string): Diagnostic[] {
  const loaded = parseRuleset(text, { file: "pasted" });
  expect(loaded.ok).toBe(false);
  return loaded.diagnostics.filter((d) => d.severity === "error");
}

describe("which table", () => {
  test("plain `iptables -S` output is the filter table", () => {
    expect(fmt(filterOutput)).toBe(filterDump);
  });

  test("the policies name nat, mangle and raw", () => {
    expect(fmt(natOutput)).toBe(natDump);
    const mangle = fmt(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"].map((c) => `-P ${c} ACCEPT`).join("\n"));
    expect(mangle).toMatch(/^\*mangle\n/);
    expect(fmt("-P PREROUTING ACCEPT\n-P OUTPUT ACCEPT\n-A PREROUTING -j ACCEPT\n")).toBe("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n");
  });

  test("output without policies (`iptables -S DOCKER`) is the filter table", () => {
    expect(fmt("-N DOCKER\n-A DOCKER -j RETURN\n")).toBe("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n-A DOCKER -j RETURN\nCOMMIT\n");
  });

  test.each([
    ["a comment", "# iptables -t security -S"],
    ["a shell prompt", "root@host:~# sudo iptables -t security -S"],
    ["--table=", "$ iptables --table=security --list-rules"],
    ["-tTABLE and -vS", "# /usr/sbin/iptables-nft -tsecurity -vS"],
  ])("the command pasted before the output names the table: %s", (_, command) => {
    expect(fmt(`${command}\n${filterOutput}`)).toBe(filterDump.replace("*filter", "*security"));
  });

  test("`iptables -S` pasted without -t is filter", () => {
    expect(fmt(`# iptables -S\n${filterOutput}`)).toBe(filterDump);
  });

  test("the policies of no single table are refused, asking for the command", () => {
    const [e] = errors("-P PREROUTING ACCEPT\n-P FORWARD ACCEPT\n-A PREROUTING -j ACCEPT\n");
    expect(e).toMatchObject({ code: "unknown-list-table", span: { line: 1, column: 1 } });
    expect(e!.message).toContain("# iptables -t nat -S");
  });

  test("a command that names a table whose chains the policies do not fit is refused", () => {
    const [e] = errors(`# iptables -t filter -S\n${natOutput}`);
    expect(e).toMatchObject({ code: "bad-policy-line", span: { line: 2, column: 4, length: 10 } });
    expect(e!.message).toContain("PREROUTING is not a built-in chain of table filter");
  });

  test("an unknown table in the command is refused at its name", () => {
    const [e] = errors(`# iptables -t filtre -S\n${filterOutput}`);
    expect(e).toMatchObject({ code: "unknown-table", span: { line: 1, column: 15, length: 6 } });
  });
});

describe("outputs pasted one after the other", () => {
  test("without anything between them, each starts where policies start again", () => {
    expect(fmt(filterOutput + natOutput)).toBe(filterDump + natDump);
    // raw has no rules here: its policies run straight into filter's.
    expect(fmt("-P PREROUTING ACCEPT\n-P OUTPUT ACCEPT\n" + filterOutput)).toBe("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n" + filterDump);
  });

  test("each after its command, with blank lines between", () => {
    expect(fmt(`$ sudo iptables -t nat -S\n${natOutput}\n\n$ sudo iptables -S\n${filterOutput}`)).toBe(filterDump + natDump);
  });

  test("ip6tables' command makes the rules IPv6", () => {
    const loaded = parseRuleset("# ip6tables -S\n-P INPUT DROP\n-A INPUT -s fe80::/10 -j ACCEPT\n", { file: "pasted" });
    expect(loaded.ok && loaded.ruleset.family).toBe("ipv6");
  });

  test("ip6tables output among iptables output is refused", () => {
    const [e] = errors(`# iptables -S\n${filterOutput}# ip6tables -t nat -S\n${natOutput}`);
    expect(e).toMatchObject({ code: "wrong-family", span: { line: 8 } });
  });
});

describe("counters from -v", () => {
  test("`-c PACKETS BYTES` become the chain's and the rule's counters", () => {
    const verbose = '-P INPUT DROP -c 7 420\n-P FORWARD ACCEPT -c 0 0\n-P OUTPUT ACCEPT -c 0 0\n-A INPUT -i lo -c 12 960 -j ACCEPT\n-A INPUT -m comment --comment "-c 1 2" -c 3 4\n';
    expect(fmt(verbose, true)).toBe(
      '*filter\n:INPUT DROP [7:420]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n[12:960] -A INPUT -i lo -j ACCEPT\n[3:4] -A INPUT -m comment --comment "-c 1 2"\nCOMMIT\n',
    );
  });
});

describe("lines that are not `iptables -S` output", () => {
  test("are refused where they stand; rules' own errors point into the user's text", () => {
    const found = errors(`${filterOutput}Chain INPUT (policy ACCEPT)\n-A INPUT -p tcp --dprot 80 -j ACCEPT\n`);
    expect(found.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([
      ["not-list-rules", 7, 1],
      ["unknown-option", 8, 17],
    ]);
  });

  test("iptables-save lines among them are refused", () => {
    const [e] = errors(`${filterOutput}*nat\n`);
    expect(e).toMatchObject({ code: "mixed-input", span: { line: 7 } });
  });

  test("-P and -N with the wrong number of words are refused", () => {
    expect(errors("-P INPUT\n")[0]).toMatchObject({ code: "bad-policy-line", span: { line: 1, column: 1 } });
    expect(errors("-P INPUT ACCEPT\n-N A B\n")[0]).toMatchObject({ code: "bad-chain-line", span: { line: 2, column: 1 } });
  });
});
