/**
 * `nfwalk why` on every scenario of examples/docker-host: the text must be
 * exactly the golden file examples/docker-host/why/NAME.txt, and with Docker's
 * inspect output (containers and networks named) why-named/NAME.txt (the README
 * quotes them). `UPDATE_GOLDEN=1 npx vitest run test/why` rewrites them.
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import type { Scenario } from "../helpers/scenario.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const scenarios = JSON.parse(readFileSync(join(dir, "scenarios.json"), "utf8")) as Scenario[];
const names = new Set(scenarios.map((s) => s.rules).concat(["ip-addr.json", "ip-route.json", "docker-inspect.json", "docker-network-inspect.json"]));
const files = Object.fromEntries([...names].map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const update = process.env["UPDATE_GOLDEN"] === "1";

const DOCKER_NAMES = ["--docker-inspect", "docker-inspect.json", "--docker-networks", "docker-network-inspect.json"];

/** The command line of a scenario's `why`, as the README shows it; `named` adds Docker's inspect output. */
function whyArgs(s: Scenario, named = false): string[] {
  const where = s.local ? ["--local"] : ["--in", s.in!];
  const sysctls = (s.sysctl ?? []).flatMap((v) => ["--sysctl", v]);
  return ["why", "--rules", s.rules, "--addr", "ip-addr.json", "--route", "ip-route.json", ...(named ? DOCKER_NAMES : []), ...sysctls, ...where, s.packet];
}

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

describe.each([
  { folder: "why", named: false },
  { folder: "why-named", named: true },
])("why on examples/docker-host into $folder/", ({ folder, named }) => {
  test.each(scenarios)("the README quotes the golden of $name, if it shows it", (s) => {
    const command = `$ nfwalk ${whyArgs(s, named)
      .map((a) => (a.includes(" ") ? `"${a}"` : a))
      .join(" ")}\n`;
    if (readme.includes(command)) expect(readme).toContain(command + readFileSync(join(dir, folder, `${s.name}.txt`), "utf8"));
  });

  test.each(scenarios)("$name", async (s) => {
    const r = await runCli(whyArgs(s, named), files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(["delivered", "forwarded", "sent"].includes(s.expect.outcome) ? 0 : 1);
    const golden = join(dir, folder, `${s.name}.txt`);
    if (update || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });
});
