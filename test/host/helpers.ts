/** Shared pieces of the host tests: the docker-host fixture, packets, a host from files. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseIPv4, parseIPv6 } from "../../src/model/address.js";
import type { Address, Packet } from "../../src/packet/packet.js";
import { parseIpAddr, parseIpRoute, parseSysctls, type Host } from "../../src/host/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixtureDir = path.resolve(repoRoot, "../shared/fixtures/docker-host");

/** The docker-host fixture's two files, or undefined (with a note on stdout) when ../shared is missing. */
export function dockerHostFiles(): { readonly addr: string; readonly route: string } | undefined {
  if (!existsSync(fixtureDir)) {
    console.log(`host tests: fixture tests skipped: ${fixtureDir} is missing`);
    return undefined;
  }
  return { addr: readFileSync(path.join(fixtureDir, "ip-addr.json"), "utf8"), route: readFileSync(path.join(fixtureDir, "ip-route.json"), "utf8") };
}

export function addr(text: string): Address {
  if (text.includes(":")) {
    const value = parseIPv6(text);
    if (value === undefined) throw new Error(`bad IPv6 address ${text}`);
    return { family: "ipv6", value };
  }
  const value = parseIPv4(text);
  if (value === undefined) throw new Error(`bad IPv4 address ${text}`);
  return { family: "ipv4", value };
}

/** A TCP SYN (or other protocol) from `src` to `dst`. */
export function packet(src: string, dst: string, options: { readonly ttl?: number; readonly protocol?: number } = {}): Packet {
  const s = addr(src);
  return {
    family: s.family,
    src: s,
    dst: addr(dst),
    protocol: options.protocol ?? 6,
    transport: options.protocol === undefined || options.protocol === 6 ? { kind: "tcp", sport: 40000, dport: 80, flags: 2 } : { kind: "other" },
    ttl: options.ttl ?? 64,
    tos: 0,
    length: 60,
    fragmentOffset: 0,
    moreFragments: false,
  };
}

/** A host from `ip -json` texts; throws on diagnostics (tests feed valid input here). */
export function hostFromJson(addrText: string, routeText: string, sysctls: readonly string[] = []): Host {
  const interfaces = parseIpAddr(addrText, "ip-addr.json");
  const routes = parseIpRoute(routeText, "ip-route.json");
  const settings = parseSysctls(sysctls);
  if (!interfaces.ok || !routes.ok || !settings.ok) {
    const all = [interfaces, routes, settings].flatMap((r) => (r.ok ? [] : r.diagnostics));
    throw new Error(all.map((d) => d.message).join("\n"));
  }
  return { interfaces: interfaces.value, routes: routes.value, sysctls: settings.value, origin: { kind: "files" } };
}
