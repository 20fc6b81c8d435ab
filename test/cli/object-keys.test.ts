/**
 * Names that are also keys of every JavaScript object (`constructor`, `__proto__`, …) are
 * plain names to nfwalk as to iptables, ip and ipset: refused where the tools refuse any
 * unknown name (checked with iptables-restore 1.8.9 and ipset 7.17), taken as written where
 * any name goes (chains, interfaces, containers), never found in Object.prototype.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const docker = resolve(import.meta.dirname, "../../examples/docker-host");
const example: Record<string, string> = Object.fromEntries(["ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(docker, f), "utf8")]));
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];
const PACKET = "tcp 10.99.0.2:40000 -> 10.99.0.1:22";
const KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

const dump = (table: string, chains: readonly string[], rules: readonly string[]) => [`*${table}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, "COMMIT", ""].join("\n");
const filter = (rule: string) => dump("filter", ["INPUT", "FORWARD", "OUTPUT"], [rule]);
const mangle = (rule: string) => dump("mangle", ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"], [rule]);

async function refusedAt(argv: readonly string[], files: Record<string, string>, where: string) {
  const r = await runCli(argv, { ...example, ...files });
  expect(r.code, r.stderr + r.stdout).toBe(2);
  expect(r.stderr).toContain(where);
  expect(r.stdout).toBe("");
  return r.stderr;
}

describe.each(KEYS)("%s", (key) => {
  test.each([
    ["a protocol (unknown protocol)", filter(`-A INPUT -p ${key} -j ACCEPT`), "5:13"],
    ["a TOS name in -m tos", filter(`-A INPUT -m tos --tos ${key} -j ACCEPT`), "5:23"],
    ["a TOS name in -j TOS (Symbolic name is unknown)", mangle(`-A OUTPUT -j TOS --set-tos ${key}`), "7:28"],
    ["a log level (log level unknown)", filter(`-A INPUT -j LOG --log-level ${key}`), "5:29"],
    ["a TCP option name (Bad TCP option value)", mangle(`-A OUTPUT -p tcp -j TCPOPTSTRIP --strip-options ${key}`), "7:49"],
    ["a TCP flag (Unknown TCP flag)", filter(`-A INPUT -p tcp -m tcp --tcp-flags ${key} SYN -j ACCEPT`), "5:36"],
    ["a table", `*${key}\n:INPUT ACCEPT [0:0]\nCOMMIT\n`, "1:2"],
    ["a chain no one declared", filter(`-A ${key} -j ACCEPT`), "5:4"],
  ])("as %s: refused, as iptables-restore refuses it", async (_, rules, at) => {
    await refusedAt(["fmt", "r.v4"], { "r.v4": rules }, `r.v4:${at}: error:`);
  });

  test("as chain and interface names: plain names, printed and walked as written", async () => {
    const rules = dump("filter", ["INPUT", "FORWARD", "OUTPUT"], [`:${key} - [0:0]`, `-A INPUT -i eth0 -j ${key}`, `-A INPUT -i ${key} -j DROP`, `-A ${key} -p tcp -j DROP`]);
    const fmt = await runCli(["fmt", "r.v4"], { "r.v4": rules });
    expect(fmt.stderr).toBe("");
    expect(fmt.stdout).toContain(`:${key} - [0:0]\n-A INPUT -i eth0 -j ${key}\n-A INPUT -i ${key} -j DROP\n-A ${key} -p tcp -j DROP\n`);
    const trace = await runCli(["trace", "--rules", "r.v4", ...host, "--in", "eth0", "--json", PACKET], { ...example, "r.v4": rules });
    expect(trace.code).toBe(1);
    const steps = JSON.parse(trace.stdout).steps.filter((s: { type: string }) => s.type === "rule");
    expect(steps.map((s: { chain: string; target: string }) => `${s.chain} ${s.target}`)).toEqual([`INPUT ${key}`, `${key} DROP`]);
  });

  test("as the host's interface: found by name, not in Object.prototype", async () => {
    const addr = JSON.parse(example["ip-addr.json"]!) as { ifname: string }[];
    const renamed = JSON.stringify(addr.map((i) => (i.ifname === "eth0" ? { ...i, ifname: key } : i)));
    const route = example["ip-route.json"]!.replaceAll('"eth0"', JSON.stringify(key));
    const rules = filter(`-A INPUT -i ${key} -j DROP`);
    const r = await runCli(["trace", "--rules", "r.v4", "--addr", "a.json", "--route", "rt.json", "--in", key, "--json", PACKET], { "r.v4": rules, "a.json": renamed, "rt.json": route });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).outcome).toBe("dropped");
    const unknown = await runCli(["trace", "--rules", "r.v4", ...host, "--in", key, PACKET], { ...example, "r.v4": rules });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`--in ${key}: the host has no such interface`);
  });

  test("as a route scope: refused at the entry, as for any scope but global, link and host", async () => {
    const route = JSON.stringify([{ dst: "default", gateway: "10.99.0.2", dev: "eth0", scope: key, flags: [] }]);
    await refusedAt(["trace", "--rules", "r.v4", "--addr", "ip-addr.json", "--route", "rt.json", "--in", "eth0", PACKET], { "r.v4": filter("-A INPUT -j ACCEPT"), "rt.json": route }, "rt.json:1:");
  });

  test("as a JSON member name: one member like any other", async () => {
    const addr = example["ip-addr.json"]!.replace('"ifname": "eth0",', `"ifname": "eth0", ${JSON.stringify(key)}: {"ifname": "evil"},`);
    const r = await runCli(["trace", "--rules", "r.v4", "--addr", "a.json", "--route", "ip-route.json", "--in", "eth0", "--json", PACKET], {
      ...example,
      "r.v4": filter("-A INPUT -j DROP"),
      "a.json": addr,
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).outcome).toBe("dropped");
  });

  test("as an ipset type: refused at its line (typename is unknown)", async () => {
    const rules = filter("-A INPUT -m set --match-set x src -j DROP");
    await refusedAt(
      ["trace", "--rules", "r.v4", ...host, "--ipset", "s", "--in", "eth0", PACKET],
      { "r.v4": rules, s: `create x hash:${key} family inet\nadd x 10.99.0.2\n` },
      `s:1:10: error: unknown set type "hash:${key}"`,
    );
  });

  test("as a packet's protocol or TCP flag: refused", async () => {
    expect(await refusedAt(["trace", "--rules", "r.v4", ...host, "--in", "eth0", `${key} 10.99.0.2 -> 10.99.0.1`], { "r.v4": filter("-A INPUT -j ACCEPT") }, "bad PACKET")).toContain(
      `unknown protocol "${key.toLowerCase()}"`,
    );
    await refusedAt(["trace", "--rules", "r.v4", ...host, "--in", "eth0", `${PACKET} [flags ${key}]`], { "r.v4": filter("-A INPUT -j ACCEPT") }, "unknown TCP flag");
  });

  test("as a sysctl name: refused with the names nfwalk knows", async () => {
    const stderr = await refusedAt(["trace", "--rules", "r.v4", ...host, "--sysctl", `${key}=1`, "--in", "eth0", PACKET], { "r.v4": filter("-A INPUT -j ACCEPT") }, `nfwalk does not know "${key}"`);
    expect(stderr).toContain("net.ipv4.ip_forward");
  });
});
