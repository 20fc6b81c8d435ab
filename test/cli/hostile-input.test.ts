/**
 * Input no one should give nfwalk, and some do: it ends in exit 2 with a message naming
 * the file (and the line where there is one), never in a stack trace, and nothing of the
 * input reaches the terminal raw or whole.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { INPUT_LIMITS } from "../../src/cli/input.js";
import { parseSize } from "../../src/cli/text-check.js";
import { MAX_JSON_DEPTH } from "../../src/host/json.js";
import { runCli, type Files } from "../helpers/memory-io.js";

const docker = resolve(import.meta.dirname, "../../examples/docker-host");
const kube = resolve(import.meta.dirname, "../../examples/kube-node");
const example: Record<string, string> = {
  "rules.v4": readFileSync(join(docker, "rules.v4"), "utf8"),
  "ip-addr.json": readFileSync(join(docker, "ip-addr.json"), "utf8"),
  "ip-route.json": readFileSync(join(docker, "ip-route.json"), "utf8"),
  "snapshot.json": readFileSync(join(kube, "snapshot.json"), "utf8"),
};
const PACKET = "tcp 10.99.0.2:40000 -> 10.99.0.1:22";
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

/** Each input a trace reads, given the file `bad` in its place. */
const traceWith: Readonly<Record<string, readonly string[]>> = {
  "--rules": ["trace", "--rules", "bad", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "eth0", PACKET],
  "--addr": ["trace", "--rules", "rules.v4", "--addr", "bad", "--route", "ip-route.json", "--in", "eth0", PACKET],
  "--route": ["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "bad", "--in", "eth0", PACKET],
  "--host": ["trace", "--host", "bad", "--in", "eth0", PACKET],
  "--ipset": ["trace", "--rules", "rules.v4", "--ipset", "bad", "--in", "eth0", PACKET],
  "--docker-inspect": ["trace", "--rules", "rules.v4", "--docker-inspect", "bad", "--in", "eth0", PACKET],
  "--docker-networks": ["trace", "--rules", "rules.v4", "--docker-networks", "bad", "--in", "eth0", PACKET],
  "--batch": ["trace", "--rules", "rules.v4", "--batch", "bad"],
  fmt: ["fmt", "bad"],
};
const inputs = Object.keys(traceWith);

async function refused(flag: string, bad: string | Uint8Array, extra: readonly string[] = []) {
  const files: Files = { ...example, bad };
  const r = await runCli([...extra, ...traceWith[flag]!], files);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Maximum call stack/);
  return r.stderr;
}

describe("JSON nested 100,000 deep", () => {
  test.each(["--addr", "--route", "--host", "--docker-inspect", "--docker-networks"])("in %s: refused at the level too deep, no stack overflow", async (flag) => {
    const stderr = await refused(flag, deep(100_000));
    expect(stderr).toContain(`bad:1:${MAX_JSON_DEPTH + 1}: error: not valid JSON: arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  test.each(["--ipset", "--batch", "--rules"])("in %s (not JSON at all): refused at its line", async (flag) => {
    expect(await refused(flag, deep(100_000))).toMatch(/bad:1(:\d+)?: /);
  });

  test("deep inside a snapshot's sections too", async () => {
    const snapshot = example["snapshot.json"]!.replace('"ip": {', `"ip": {"nested": ${deep(100_000)},`);
    expect(await refused("--host", snapshot)).toMatch(/bad:\d+:\d+: error: not valid JSON: arrays and objects nested deeper/);
  });

  test("as deep as real tools nest is fine", async () => {
    const r = await runCli(["trace", "--host", "snapshot.json", "--in", "eth0", "--json", "udp 10.0.0.2:1 -> 10.0.0.1:2"], example);
    expect(r.stderr).not.toContain("nested deeper");
  });
});

describe("what is not text", () => {
  const zeros = new Uint8Array(4096);
  const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
  const utf16 = (text: string, bom: boolean) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, "utf16le")]);

  test.each(inputs)("zeros (/dev/zero) as %s: a NUL byte, at 1:1", async (flag) => {
    expect(await refused(flag, zeros)).toContain("bad:1:1: a NUL byte: binary data or UTF-16 text");
  });

  test.each(inputs)("random bytes (/dev/urandom) as %s: refused at its first NUL byte", async (flag) => {
    const nul = binary.indexOf(0);
    const line = binary.subarray(0, nul).filter((b) => b === 0x0a).length + 1;
    const column = nul - binary.subarray(0, nul).lastIndexOf(0x0a);
    expect(await refused(flag, binary)).toContain(`bad:${line}:${column}: a NUL byte`);
  });

  test.each([
    ["with a byte order mark", true, "UTF-16 text"],
    ["without one", false, "a NUL byte: binary data or UTF-16 text"],
  ])("a UTF-16 dump %s is refused as iptables-restore refuses it (line 1 failed)", async (_, bom, message) => {
    expect(await refused("fmt", utf16(example["rules.v4"]!, bom))).toContain(`bad:1:${bom ? 1 : 2}: ${message}`);
  });

  test.each(inputs)("a UTF-8 byte order mark in %s is refused at 1:1, as iptables-restore refuses it", async (flag) => {
    expect(await refused(flag, "\ufeff" + example["rules.v4"])).toContain("bad:1:1: a UTF-8 byte order mark, which iptables-restore refuses");
  });

  test("the NUL byte's line and column are the file's", async () => {
    expect(await refused("fmt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT\0 -j ACCEPT\nCOMMIT\n")).toContain("bad:3:9: a NUL byte");
  });
});

describe("size limits", () => {
  test.each(inputs)("%s beyond --max-input is refused naming the limit", async (flag) => {
    expect(await refused(flag, "x".repeat(3 << 20), ["--max-input", "2M"])).toMatch(/nfwalk: bad: larger than 2 MB, the limit for .* \(--max-input SIZE raises it\)/);
  });

  test("each kind has its own limit, and --max-input raises it", async () => {
    const json = `[${" ".repeat(INPUT_LIMITS["ip-json"])}]`;
    expect(await refused("--addr", json)).toContain("bad: larger than 16 MB, the limit for ip -json output (--max-input SIZE raises it)");
    const raised = await runCli([...traceWith["--addr"]!.slice(0, 1), "--max-input", "17M", ...traceWith["--addr"]!.slice(1)], { ...example, bad: json });
    expect(raised.stderr).not.toContain("larger than");
    expect(raised.code).toBe(2); // an empty array: no interfaces, so no eth0
  });

  test.each(["1x", "-5", "0", ""])("--max-input %j is refused", async (size) => {
    const r = await runCli(["--max-input", size, "fmt", "rules.v4"], example);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--max-input "${size}": expected a size such as 512M, 2G or a number of bytes`);
  });

  test.each([
    ["512M", 512 * 2 ** 20],
    ["2g", 2 * 2 ** 30],
    ["64MiB", 64 * 2 ** 20],
    ["1500", 1500],
    ["1.5K", 1536],
  ])("--max-input %s is %d bytes", (size, bytes) => {
    expect(parseSize(size)).toBe(bytes);
  });

  test("a file of exactly --max-input bytes is read, one more is refused", async () => {
    const over = await runCli(["--max-input", "1.5K", "fmt", "big"], { big: "#".repeat(1536) + "\n" });
    expect(over.stderr).toContain("big: larger than 1.5 KB");
    const exact = await runCli(["--max-input", "1.5K", "fmt", "big"], { big: "#".repeat(1535) + "\n" });
    expect(exact.stderr).not.toContain("larger than");
  });
});

describe("what is shown of the input", () => {
  test("a line of a megabyte is shown as the part around the caret", async () => {
    const long = `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "${"a".repeat(500_000)}" --bogus 1 -m comment --comment "${"b".repeat(500_000)}" -j ACCEPT\nCOMMIT\n`;
    const stderr = await refused("fmt", long);
    expect(stderr).toMatch(/^bad:3:\d+: error: /);
    expect(stderr.length).toBeLessThan(2000);
    const [, shown, caret] = stderr.split("\n");
    expect(shown).toMatch(/^ 3 \| …a+" --bogus 1 -m comment --comment "b+…$/);
    expect(shown!.indexOf("--bogus")).toBe(caret!.indexOf("^"));
  });

  test("a megabyte-long word in a message is cut in the middle", async () => {
    const stderr = await refused("fmt", `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT --${"x".repeat(1 << 20)} -j ACCEPT\nCOMMIT\n`);
    expect(stderr.length).toBeLessThan(2000);
    expect(stderr).toMatch(/characters left out/);
  });

  test("control characters in a dump are shown as escapes, and the caret stays under its word", async () => {
    const stderr = await refused("fmt", '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "\x1b]0;owned\x07\x1b[2J" --bogus\x1b[31m -j ACCEPT\nCOMMIT\n');
    expect(stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(stderr).toContain("\\x1b]0;owned\\x07\\x1b[2J");
    const [, shown, caret] = stderr.split("\n");
    expect(shown!.indexOf("--bogus")).toBe(caret!.indexOf("^"));
  });

  test.each([
    ["a packet", ["trace", "--rules", "rules.v4", "--in", "eth0", "tcp \x1b[2J10.0.0.1:1 -> 10.0.0.2:2"]],
    ["an interface", ["trace", "--rules", "rules.v4", "--in", "eth\x1b[31m0", PACKET]],
    ["an option", ["trace", "--\x1b[31mbogus"]],
    ["a file name", ["fmt", "no\x1b[2Jsuch"]],
  ])("control characters in %s on the command line are shown as escapes", async (_, argv) => {
    const r = await runCli(argv, example);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("\\x1b[");
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  test("a bad --batch line is named FILE:LINE and shown escaped", async () => {
    const batch = `{"packet": "${PACKET}", "in": "eth0"}\n\n{"packet": "tcp \\u001b[2J", "in": "eth0"}\n`;
    const r = await runCli(["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--batch", "b.jsonl"], { ...example, "b.jsonl": batch });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nfwalk: b\.jsonl:3:1: bad packet "tcp \\x1b\[2J"/);
  });
});

describe("names on the command line", () => {
  const rules = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -m limit --limit 3/sec -j ACCEPT\nCOMMIT\n";
  const trace = (...extra: string[]) => runCli(["trace", "--rules", "l.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "eth0", ...extra, PACKET], { ...example, "l.v4": rules });

  test.each([
    ["limt=match", '--assume "limt=match": no rule of l.v4 uses "limt"; its rules use limit, tcp (or say line:N for one rule)'],
    ["__proto__=match", '--assume "__proto__=match": no rule of l.v4 uses "__proto__"'],
    ["line:2=match", '--assume "line:2=match": l.v4 has no rule on line 2'],
    ["limit=maybe", '--assume "limit=maybe": expected NAME=match|nomatch'],
  ])("--assume %s is refused with the names the rules use", async (assumption, message) => {
    const r = await trace("--assume", assumption);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test.each([
    ["limit=match", 0],
    ["LIMIT=nomatch", 1],
    ["line:3=nomatch", 1],
  ])("--assume %s decides", async (assumption, code) => {
    const r = await trace("--assume", assumption);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(code);
  });

  test("a sysctl name with a typo is refused with the names nfwalk knows", async () => {
    const r = await trace("--sysctl", "net.ipv4.ip_forwrd=1");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--sysctl net.ipv4.ip_forwrd=1: nfwalk does not know "net.ipv4.ip_forwrd"');
    expect(r.stderr).toContain("known: net.ipv4.ip_forward, ");
  });
});

describe("--batch names the line", () => {
  const run = (batch: string) => runCli(["trace", "--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json", "--batch", "b.jsonl"], { ...example, "b.jsonl": batch });
  const good = `{"packet": "${PACKET}", "in": "eth0"}`;

  test.each([
    ["not JSON", "{nope", "b.jsonl:3:1: not JSON"],
    ["no packet", '{"in": "eth0"}', 'b.jsonl:3:1: "packet" must be a string'],
    ["a bad packet", '{"packet": "tcp 1.2.3.4", "in": "eth0"}', 'b.jsonl:3:1: bad packet "tcp 1.2.3.4"'],
    ["an interface the host lacks", `{"packet": "${PACKET}", "in": "eth9"}`, 'b.jsonl:3:1: "in": eth9: the host has no such interface'],
    ["the other family", '{"packet": "tcp [2001:db8::1]:1 -> [2001:db8::2]:22", "in": "eth0"}', "b.jsonl:3:1: the packet is ipv6 but rules.v4 is an iptables dump"],
    ["JSON 100,000 deep", deep(100_000), 'b.jsonl:3:1: "packet" must be a string'],
  ])("%s", async (_, line, message) => {
    const r = await run(`${good}\n\n${line}\n${good}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`nfwalk: ${message}`);
  });
});

describe("found by the fuzz suite", () => {
  test("a packet that opens no connection (SYN-ACK: INVALID): --reply and --established trace it on its own, why answers", async () => {
    const invalid = "tcp 10.99.0.2:40000 -> 10.99.0.1:8080 [flags SYN,ACK]";
    const args = ["--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json"];
    for (const later of ["--reply", "--established"]) {
      const r = await runCli(["trace", later, ...args, "--in", "eth0", "--json", invalid], example);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).steps.some((s: { type: string; state?: string }) => s.type === "conntrack" && s.state === "INVALID")).toBe(true);
    }
    const why = await runCli(["why", ...args, invalid], example);
    expect(why.stderr).toBe("");
    expect(why.code).toBe(0);
  });
});
