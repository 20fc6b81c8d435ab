/**
 * `--format junit|tap|github` of `diff`, `trace --batch`, `lint` and `check`: the same answer and exit
 * code as the text and JSON, one test case a difference, batch line, finding or expectation, placed at
 * the changed rule, the batch line, the finding or the expectation; JUnit valid against the schema, TAP read by tap-parser, GitHub's commands
 * read as the runner reads them.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { schemaErrorsOfTexts } from "../helpers/junit-xml.js";
import { runCli } from "../helpers/memory-io.js";
import { parseTap, readCommand } from "../helpers/report-readers.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const example = (f: string) => readFileSync(join(dir, f), "utf8");
const rules = example("rules.v4");
/** rules.v4 with a rate-limited drop of ssh as its first INPUT rule: what it does hangs on the rate. */
const limited = rules.replace(":INPUT ACCEPT [0:0]\n", ":INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -m limit --limit 3/min -j DROP\n");
const files = {
  "before.v4": rules,
  "after.v4": example("rules-docker-user.v4"),
  "limited.v4": limited,
  "ip-addr.json": example("ip-addr.json"),
  "ip-route.json": example("ip-route.json"),
  "b.jsonl": [
    '{"packet": "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", "in": "eth0"}',
    "",
    '{"packet": "tcp 10.99.0.2:40000 -> 10.99.0.1:22", "in": "eth0"}',
    '{"packet": "udp 10.99.0.1:5353 -> 8.8.8.8:53", "local": true}',
  ].join("\n"),
};
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];
const lineOf = (file: keyof typeof files, line: number) => files[file].split("\n")[line - 1];

interface DiffJson {
  differences: { example: string }[];
}

async function diffIn(format: string, after = "after.v4") {
  return runCli(["diff", "before.v4", after, ...host, "--format", format], files);
}

describe("diff --format", () => {
  test("--json and --format json print the same; text, json and the reports exit alike", async () => {
    const json = await runCli(["diff", "before.v4", "after.v4", ...host, "--json"], files);
    expect(json.code).toBe(1);
    expect((await diffIn("json")).stdout).toBe(json.stdout);
    for (const format of ["text", "junit", "tap", "github"]) expect((await diffIn(format)).code).toBe(1);
  });

  test("junit: a valid document with one failed case a difference (a warning), at the rule the change added", async () => {
    const { differences } = JSON.parse((await diffIn("json")).stdout) as DiffJson;
    const junit = await diffIn("junit");
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(differences.length);
    expect(junit.stdout.match(/<failure [^>]*type="warning"/g)).toHaveLength(differences.length);
    const line = Number(/<testcase [^>]*file="after.v4" line="(\d+)"/.exec(junit.stdout)![1]);
    expect(lineOf("after.v4", line)).toBe("-A DOCKER-USER -s 10.99.0.0/24 -i eth0 -j DROP");
    expect(files["before.v4"]).not.toContain(lineOf("after.v4", line));
    for (const d of differences) expect(junit.stdout).toContain(`example: ${d.example.replace(/>/g, "&gt;")}`);
  });

  test("tap and github: one failing test point and one warning annotation a difference", async () => {
    const { differences } = JSON.parse((await diffIn("json")).stdout) as DiffJson;
    const tap = parseTap((await diffIn("tap")).stdout);
    expect(tap.ok).toBe(false);
    expect(tap.points.map((p) => [p.ok, (p.diag as { at: { file: string } }).at.file])).toEqual(differences.map(() => [false, "after.v4"]));
    const commands = (await diffIn("github")).stdout.split("\n").flatMap((l) => readCommand(l) ?? []);
    expect(commands.map((c) => [c.name, c.properties["file"]])).toEqual(differences.map(() => ["warning", "after.v4"]));
    expect(commands.map((c) => c.message.split("\n")[0])).toEqual(differences.map((d) => expect.stringContaining(d.example)));
  });

  test("differences only where nfwalk cannot know are skipped in JUnit, SKIP in TAP, warnings on GitHub, and exit 3", async () => {
    const junit = await diffIn("junit", "limited.v4");
    expect(junit.code).toBe(3);
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    expect(junit.stdout).not.toContain("<failure");
    expect(junit.stdout.match(/<skipped>/g)!.length).toBe(junit.stdout.match(/<testcase /g)!.length);
    expect(lineOf("limited.v4", Number(/line="(\d+)"/.exec(junit.stdout)![1]))).toContain("-m limit");
    const tap = await diffIn("tap", "limited.v4");
    expect(tap.code).toBe(3);
    expect(parseTap(tap.stdout).points.every((p) => p.ok && p.skip !== false)).toBe(true);
    const github = await diffIn("github", "limited.v4");
    expect(github.stdout.split("\n").flatMap((l) => readCommand(l)?.name ?? [])).toEqual(expect.arrayContaining(["warning"]));
    expect(github.stdout).not.toContain("::error");
  });

  test("dumps that treat every packet alike are one passing case", async () => {
    const r = await runCli(["diff", "before.v4", "before.v4", ...host, "--format", "junit"], files);
    expect(r.code).toBe(0);
    expect(schemaErrorsOfTexts([r.stdout])).toBeUndefined();
    expect(r.stdout).toContain('<testsuite name="before.v4 → before.v4" tests="1" failures="0" errors="0" skipped="0">');
  });
});

describe("trace --batch --format", () => {
  const batch = (format: string, dump = "after.v4") => runCli(["trace", "--rules", dump, ...host, "--batch", "b.jsonl", "--format", format], files);

  test("one case a batch line, at its line, passed exactly when the packet gets there; the exit code as with --json", async () => {
    const json = await batch("json");
    const outcomes = json.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    expect(outcomes).toEqual(["dropped", "delivered", "sent"]);
    const tap = await batch("tap");
    expect(tap.code).toBe(json.code);
    expect(tap.code).toBe(1);
    const parsed = parseTap(tap.stdout);
    expect(parsed.points.map((p) => [p.ok, p.name, (p.diag as { at: { line: number } }).at.line])).toEqual([
      [false, "line 1: tcp 10.99.0.2:40000 -> 10.99.0.1:8080 (arriving on eth0)", 1],
      [true, "line 3: tcp 10.99.0.2:40000 -> 10.99.0.1:22 (arriving on eth0)", 3],
      [true, "line 4: udp 10.99.0.1:5353 -> 8.8.8.8:53 (sent by the host)", 4],
    ]);
    // A failed packet carries its trace, which names the rule that dropped it.
    expect((parsed.points[0]!.diag as { details: string }).details).toContain("-A DOCKER-USER -s 10.99.0.0/24 -i eth0 -j DROP");
    const junit = await batch("junit");
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    expect(junit.stdout).toContain('file="b.jsonl" line="3"/>');
    const github = await batch("github");
    expect(github.stdout.split("\n").flatMap((l) => readCommand(l) ?? [])).toEqual([expect.objectContaining({ name: "error", properties: expect.objectContaining({ file: "b.jsonl", line: "1" }) })]);
  });

  test("a batch where every packet gets there exits 0 and fails nothing", async () => {
    const r = await batch("junit", "before.v4");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tests="3" failures="0" errors="0" skipped="0"');
  });

  test.each([
    { args: ["--in", "eth0", "tcp 10.99.0.2:1 -> 10.99.0.1:22", "--format", "junit"], says: "--format junit reports a --batch run" },
    { args: ["--batch", "b.jsonl", "--json", "--format", "tap"], says: "--json and --format tap" },
    { args: ["--batch", "b.jsonl", "--format", "xml"], says: "Allowed choices are text, json, mermaid, dot, junit, tap, github" },
  ])("refuses with exit 2 and nothing on stdout: $says", async ({ args, says }) => {
    const r = await runCli(["trace", "--rules", "after.v4", ...host, ...args], files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(says);
  });
});

describe("lint --format", () => {
  const lintFiles = { ...files, "ufw.v4": example("rules-ufw.v4"), "empty.v4": "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n" };
  const lintIn = (format: string, dump = "ufw.v4") => runCli(["lint", dump, ...host, "--format", format], lintFiles);

  test("one case a finding at its line: errors and warnings fail, info findings pass with a notice; exit codes as with text", async () => {
    const json = await runCli(["lint", "ufw.v4", ...host, "--json"], lintFiles);
    const { findings } = JSON.parse(json.stdout) as { findings: { code: string; severity: string; location: { line: number } }[] };
    expect(findings.map((f) => f.severity)).toEqual(expect.arrayContaining(["error", "info"]));
    expect((await lintIn("json")).stdout).toBe(json.stdout);
    const junit = await lintIn("junit");
    expect(junit.code).toBe(json.code);
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(findings.length);
    expect(junit.stdout.match(/<failure /g)).toHaveLength(findings.filter((f) => f.severity !== "info").length);
    for (const f of findings) expect(junit.stdout).toContain(`<testcase name="${f.code} (ufw.v4:${f.location.line})" classname="ufw.v4" file="ufw.v4" line="${f.location.line}"`);
    const tap = parseTap((await lintIn("tap")).stdout);
    expect(tap.points.map((p) => p.ok)).toEqual(findings.map((f) => f.severity === "info"));
    const commands = (await lintIn("github")).stdout.split("\n").flatMap((l) => readCommand(l) ?? []);
    expect(commands.map((c) => [c.name, c.properties["line"]])).toEqual(findings.map((f) => [f.severity === "info" ? "notice" : f.severity, String(f.location.line)]));
  });

  test("a clean ruleset is one passing case and exit 0", async () => {
    const r = await lintIn("junit", "empty.v4");
    expect(r.code).toBe(0);
    expect(schemaErrorsOfTexts([r.stdout])).toBeUndefined();
    expect(r.stdout).toContain('<testcase name="no findings" classname="empty.v4" file="empty.v4" line="1"/>');
  });
});

describe("check --format", () => {
  const expectations = [
    "rules: after.v4",
    "host:",
    "  addr: ip-addr.json",
    "  route: ip-route.json",
    "expectations:",
    "  - name: ssh is open to the uplink",
    "    in: eth0",
    "    packets: tcp 10.99.0.2-10.99.0.254 -> 10.99.0.1:22",
    "    expect: delivered",
    "  - name: the published port is open to the uplink",
    "    in: eth0",
    "    packets: tcp 10.99.0.0/24 -> 10.99.0.1:8080",
    "    expect: forwarded via docker0",
    "",
  ].join("\n");
  const checkIn = (format: string) => runCli(["check", "c.yaml", "--format", format], { ...files, "c.yaml": expectations });

  test("one case an expectation at its line in the YAML file, failed where it does not hold; exit codes as with text", async () => {
    const text = await runCli(["check", "c.yaml"], { ...files, "c.yaml": expectations });
    expect(text.code).toBe(1);
    const junit = await checkIn("junit");
    expect(junit.code).toBe(1);
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    expect(junit.stdout).toMatch(/<testcase name="ssh is open to the uplink" classname="c.yaml" file="c.yaml" line="6">\n\s+<system-out>/);
    expect(junit.stdout).toMatch(/<testcase name="the published port is open to the uplink" classname="c.yaml" file="c.yaml" line="10">\n\s+<failure /);
    const tap = parseTap((await checkIn("tap")).stdout);
    expect(tap.points.map((p) => [p.ok, p.name])).toEqual([
      [true, "ssh is open to the uplink"],
      [false, "the published port is open to the uplink"],
    ]);
    const commands = (await checkIn("github")).stdout.split("\n").flatMap((l) => readCommand(l) ?? []);
    expect(commands.map((c) => [c.name, c.properties["file"], c.properties["line"]])).toEqual([["error", "c.yaml", "10"]]);
  });

  test("an ip6tables dump (examples/ci/ipv6 with ssh opened to everyone): valid JUnit, TAP and GitHub commands, each case as the JSON report says", async () => {
    const v6 = resolve(import.meta.dirname, "../../examples/ci/ipv6");
    const names = ["expectations.yaml", "rules.v6", "rules-ssh-open.v6", "ip-addr.json", "ip-route.json"];
    const v6Files = Object.fromEntries(names.map((f) => [`v6/${f}`, readFileSync(join(v6, f), "utf8")]));
    const run = (format: string) => runCli(["check", "v6/expectations.yaml", "--rules", "v6/rules-ssh-open.v6", "--format", format], v6Files);
    const json = await run("json");
    expect(json.code).toBe(1);
    const results = (JSON.parse(json.stdout) as { expectations: { name: string; line: number; status: string }[] }).expectations;
    expect(results.filter((r) => r.status === "fail")).toHaveLength(2);
    const junit = await run("junit");
    expect(junit.code).toBe(1);
    expect(schemaErrorsOfTexts([junit.stdout])).toBeUndefined();
    for (const r of results)
      expect(junit.stdout).toMatch(
        new RegExp(`<testcase name="${r.name}" classname="v6/expectations.yaml" file="v6/expectations.yaml" line="${r.line}">\\n\\s+<${r.status === "fail" ? "failure " : "system-out>"}`),
      );
    expect(parseTap((await run("tap")).stdout).points.map((p) => [p.ok, p.name])).toEqual(results.map((r) => [r.status === "pass", r.name]));
    const commands = (await run("github")).stdout.split("\n").flatMap((l) => readCommand(l) ?? []);
    expect(commands.map((c) => [c.name, c.properties["file"], c.properties["line"]])).toEqual(results.filter((r) => r.status === "fail").map((r) => ["error", "v6/expectations.yaml", String(r.line)]));
  });
});
