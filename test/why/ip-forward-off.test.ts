/**
 * The ip-forward-off trap fires on routing's typed reason (forwarding-disabled), not on the
 * words of the routing step: a published port on a host with forwarding off, and not when
 * routing drops the packet for another reason.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const example = (f: string) => readFileSync(join(dir, f), "utf8");
const files = { r: example("rules.v4"), "ip-addr.json": example("ip-addr.json"), "ip-route.json": example("ip-route.json") };

async function why(packet: string, sysctls: string[]) {
  const r = await runCli(["why", "--rules", "r", "--addr", "ip-addr.json", "--route", "ip-route.json", "--in", "eth0", ...sysctls.flatMap((s) => ["--sysctl", s]), "--json", packet], files);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { decisive?: { kind: string }; traps: { name: string }[] };
}

test("forwarding off: the published port's routed packet is dropped by routing, and the trap names it", async () => {
  const off = await why("tcp 10.99.0.2:40000 -> 10.99.0.1:8080", ["net.ipv4.ip_forward=0"]);
  expect(off.decisive?.kind).toBe("routing");
  expect(off.traps.map((t) => t.name)).toContain("ip-forward-off");
  const on = await why("tcp 10.99.0.2:40000 -> 10.99.0.1:8080", []);
  expect(on.traps.map((t) => t.name)).not.toContain("ip-forward-off");
});
