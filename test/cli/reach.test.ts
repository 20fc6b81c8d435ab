/** `nfwalk reach` and `nfwalk diff` refuse bad input with exit 2, a message naming what is wrong, and nothing on stdout. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const host = ["--addr", "ip-addr.json", "--route", "ip-route.json"];

describe("reach and diff on bad input", () => {
  test.each([
    { args: ["reach", "--rules", "rules.v4", ...host, "--in", "eth0", "tcp any -> 10.0.0.300"], says: "10.0.0.300" },
    { args: ["reach", "--rules", "rules.v4", ...host, "tcp any -> any"], says: "--in IFACE" },
    { args: ["reach", "--rules", "rules.v4", ...host, "--in", "eth9", "tcp any -> any"], says: "eth9" },
    { args: ["reach", "--rules", "missing.v4", ...host, "--in", "eth0", "tcp any -> any"], says: "missing.v4" },
    { args: ["diff", "rules.v4", "rules.v4", ...host, "tcp any -> any"], says: "--in IFACE or --local" },
    { args: ["diff", "rules.v4", "rules.v4", ...host, "--in", "eth0"], says: "PACKETSET" },
    { args: ["diff", "rules.v4", "missing.v4", ...host], says: "missing.v4" },
  ])("$args.0: $says", async ({ args, says }) => {
    const r = await runCli(args, files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(says);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("reach --json follows the contract's shape", async () => {
    const r = await runCli(["reach", "--rules", "rules.v4", ...host, "--in", "eth0", "--json", "tcp,udp any -> 10.99.0.1:1-1024,8080"], files);
    expect(r.code).toBe(0);
    const { classes } = JSON.parse(r.stdout) as { classes: { outcome: string; interface?: string; boxes: Record<string, string[]>[]; example: string }[] };
    expect(classes.map((c) => `${c.outcome} ${c.interface ?? ""}`)).toContain("forwarded docker0");
    for (const c of classes) {
      expect(c.boxes.length).toBeGreaterThan(0);
      for (const box of c.boxes) for (const ranges of Object.values(box)) for (const r of ranges) expect(r).toMatch(/^[a-z0-9.]+(-[0-9.]+)?$/);
      const traced = await runCli(["trace", "--rules", "rules.v4", ...host, "--in", "eth0", "--json", c.example], files);
      expect(JSON.parse(traced.stdout).outcome).toBe(c.outcome);
    }
  });
});
