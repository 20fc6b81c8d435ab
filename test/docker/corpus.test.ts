/**
 * Docker's own rule layouts (../shared/corpus/docker/iptables, one file per
 * daemon configuration, the configuration in the name): the era, the
 * published port, the network's settings and who reaches the port must be
 * what the configuration says; `why` answers for every file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { dockerLayout } from "../../src/docker/layout.js";
import { dockerNetworks } from "../../src/docker/networks.js";
import { publishedPorts } from "../../src/docker/published.js";
import { reachOf } from "../../src/docker/reach.js";
import { defaultHost, parseSysctls } from "../../src/host/index.js";
import { parseRuleset } from "../../src/ruleset/load.js";
import { formatAddress } from "../../src/packet/format.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../../shared/corpus/docker/iptables");
const present = existsSync(dir);
if (!present) console.log(`docker corpus tests skipped: ${dir} is missing`);
const files = present ? readdirSync(dir).filter((f) => f.endsWith(".golden")) : [];

function configOf(name: string): Map<string, string> {
  return new Map(
    name
      .split("__")[0]!
      .split(",")
      .map((kv) => kv.split("=") as [string, string]),
  );
}

/** With the userland proxy off (hairpin=true), Docker sets route_localnet on the bridge so that 127.0.0.1 can be DNATed to a container. */
const HAIRPIN_SYSCTLS = ["net.ipv4.conf.br-dummy.route_localnet=1"];

function load(file: string, config: Map<string, string>) {
  const text = readFileSync(join(dir, file), "utf8");
  const result = parseRuleset(text, { file });
  if (!result.ok) throw new Error(`${file} does not load`);
  const sysctls = config.get("hairpin") === "true" ? HAIRPIN_SYSCTLS : [];
  const parsed = parseSysctls(sysctls);
  if (!parsed.ok) throw new Error("bad sysctls");
  return { text, ruleset: result.ruleset, host: defaultHost(result.ruleset, parsed.value), sysctls };
}

describe.skipIf(!present)("Docker's rule layouts", () => {
  test.each(files)("%s", async (file) => {
    const config = configOf(file);
    const { text, ruleset, host, sysctls } = load(file, config);
    const layout = dockerLayout(ruleset, host);
    expect(layout.era).toBe(file.startsWith("no__") ? "none" : "29");
    const ports = publishedPorts(ruleset);
    const withPort = config.has("bindlh") && config.get("internal") === "false";
    expect(ports.length).toBe(withPort ? 1 : 0);
    const networks = dockerNetworks(ruleset, host, layout);
    if (config.has("internal")) {
      const net = networks.find((n) => n.bridge === "br-dummy")!;
      expect(net.internal).toBe(config.get("internal") === "true");
      expect(net.icc).toBe(config.get("icc") === "true");
      if (withPort) expect(net.gatewayMode).toBe(config.get("gwm"));
    }
    const v4 = ruleset.family === "ipv4";
    const port = ports[0];
    if (port) {
      expect(formatAddress(port.container.address)).toBe(v4 ? "192.168.0.2" : "fd49:efd7:54aa::1");
      expect([port.protocol, port.hostPort.min, port.container.port]).toEqual(["tcp", 8080, 80]);
      expect(port.loopbackOnly).toBe(config.get("bindlh") === "true");
    }
    // Without a MASQUERADE or container rule naming the subnet, the default host cannot know where 192.168.0.0/24 is.
    const routed = host.routes.some((r) => r.device === "br-dummy" && r.prefixLength === 24);
    if (port && v4 && routed) {
      const reach = new Map(reachOf(ruleset, host, port).map((r) => [r.client, r.verdict]));
      expect(reach.get("outside")).toBe(config.get("bindlh") === "true" ? "no" : "yes");
      // docker-proxy answers loopback when the userland proxy is on (hairpin=false).
      const hostReach = config.get("hairpin") === "true" || config.get("bindlh") === "false" ? "yes" : "proxy";
      expect(reach.get("host")).toBe(hostReach);
    }
    const target = v4 ? "203.0.113.7 -> 10.0.0.1:8080" : "2001:db8:ffff::7 -> [2001:db8::1]:8080";
    const why = await runCli(["why", "--rules", file, ...sysctls.flatMap((v) => ["--sysctl", v]), "--json", `tcp ${target}`], { [file]: text });
    expect(why.stderr).toBe("");
    expect([0, 1, 3]).toContain(why.code);
    expect(JSON.parse(why.stdout).answer).toMatch(/^(reached|not reached|undetermined)/);
    const listed = await runCli(["ports", "--rules", file, "--json"], { [file]: text });
    expect(JSON.parse(listed.stdout).ports.length).toBe(ports.length);
  });
});

const real = resolve(import.meta.dirname, "../../../shared/corpus/real");

describe.skipIf(!existsSync(real))("older Docker dumps", () => {
  const era = (file: string) => {
    const result = parseRuleset(readFileSync(join(real, file), "utf8"), { file });
    if (!result.ok) throw new Error(`${file} does not load`);
    return { ruleset: result.ruleset, layout: dockerLayout(result.ruleset, defaultHost(result.ruleset)) };
  };

  test.each([
    ["net-network__docker-1.12-default-mynet.rules", "1.12"],
    ["bossjones-kubeadm__k8s-1.11-docker-18.06-fresh.rules", "18.06"],
    ["garutilorenzo-iptables-docker__docker-20.10-published-port.rules", "18.06"],
  ])("%s was written by Docker %s", (file, expected) => {
    expect(era(file).layout.era).toBe(expected);
  });

  test("Docker 20.10: the published port, reachable from outside through FORWARD", async () => {
    const file = "garutilorenzo-iptables-docker__docker-20.10-published-port.rules";
    const { ruleset } = era(file);
    const [port] = publishedPorts(ruleset);
    expect(port && [formatAddress(port.container.address), port.container.port, port.hostPort.min, port.bridge]).toEqual(["172.17.0.2", 80, 8080, "docker0"]);
    const reach = reachOf(ruleset, defaultHost(ruleset), port!).find((r) => r.client === "outside");
    expect(reach?.verdict).toBe("yes");
  });
});
