/**
 * `nfwalk why` on every scenario of examples/docker-host: the text must be
 * exactly the golden file examples/docker-host/why/NAME.txt (the README
 * quotes them). `UPDATE_GOLDEN=1 npx vitest run test/why` rewrites them.
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import type { Scenario } from "../examples.test.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const scenarios = JSON.parse(readFileSync(join(dir, "scenarios.json"), "utf8")) as Scenario[];
const names = new Set(scenarios.map((s) => s.rules).concat(["ip-addr.json", "ip-route.json"]));
const files = Object.fromEntries([...names].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const update = process.env["UPDATE_GOLDEN"] === "1";

/** The command line of a scenario's `why`, as the README shows it. */
export function whyArgs(s: Scenario): string[] {
  const where = s.local ? ["--local"] : ["--in", s.in!];
  const sysctls = (s.sysctl ?? []).flatMap((v) => ["--sysctl", v]);
  return ["why", "--rules", s.rules, "--addr", "ip-addr.json", "--route", "ip-route.json", ...sysctls, ...where, s.packet];
}

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

describe("why on examples/docker-host", () => {
  test.each(scenarios)("the README quotes the golden of $name, if it shows it", (s) => {
    const command = `$ nfwalk ${whyArgs(s).map((a) => (a.includes(" ") ? `"${a}"` : a)).join(" ")}\n`;
    if (readme.includes(command)) expect(readme).toContain(command + readFileSync(join(dir, "why", `${s.name}.txt`), "utf8"));
  });

  test.each(scenarios)("$name", async (s) => {
    const r = await runCli(whyArgs(s), files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(["delivered", "forwarded", "sent"].includes(s.expect.outcome) ? 0 : 1);
    const golden = join(dir, "why", `${s.name}.txt`);
    if (update || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });
});
