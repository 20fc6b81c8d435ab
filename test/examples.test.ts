/**
 * Every scenario in examples/ gives the answer its file expects. The kernel
 * conformance suite runs the same scenarios through real netfilter, so the
 * examples cannot drift from what the kernel does.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "./helpers/memory-io.js";
import type { Scenario } from "./helpers/scenario.js";

const dir = resolve(import.meta.dirname, "../examples/docker-host");

const scenarios = JSON.parse(readFileSync(join(dir, "scenarios.json"), "utf8")) as Scenario[];
const files = Object.fromEntries(
  ["rules.v4", "rules-ufw.v4", "rules-docker-user.v4", "rules-docker-user-port.v4", "rules-hairpin.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]),
);

describe("examples/docker-host", () => {
  test.each(scenarios)("$name", async (s) => {
    const where = s.local ? ["--local"] : ["--in", s.in!];
    const sysctls = (s.sysctl ?? []).flatMap((v) => ["--sysctl", v]);
    const r = await runCli(["trace", "--rules", s.rules, "--addr", "ip-addr.json", "--route", "ip-route.json", ...sysctls, ...where, "--json", s.packet], files);
    expect(r.stderr).toBe("");
    const trace = JSON.parse(r.stdout);
    expect(trace.outcome, trace.reason).toBe(s.expect.outcome);
    if (s.expect.interface) expect(trace.egress.interface).toBe(s.expect.interface);
    if (s.expect.packet) expect(trace.egress.packet).toEqual(s.expect.packet);
    expect(r.code).toBe(["delivered", "forwarded", "sent"].includes(s.expect.outcome) ? 0 : 1);
  });
});
