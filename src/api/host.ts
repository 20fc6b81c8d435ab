/**
 * A host from the text of its own tools, in one call: `ip -json addr show`,
 * `ip -json route show` and sysctl settings. The separate readers
 * ({@link parseIpAddr}, {@link parseIpRoute}, {@link parseSysctls}) are public too,
 * for callers that combine sources (a snapshot, flags) as the command does.
 */
import type { Diagnostic } from "../diag/index.js";
import { parseIpAddr, parseIpRoute, type Parsed } from "../host/ip-json.js";
import { parseSysctls } from "../host/sysctl.js";
import type { Host } from "../host/types.js";

/** The texts {@link loadHost} reads a host from. */
export interface HostTexts {
  /** What `ip -json addr show` printed. */
  readonly addr: string;
  /** What `ip -json route show` printed (`ip -6 -json route show` for IPv6 rules). */
  readonly route: string;
  /** Sysctl settings such as `net.ipv4.ip_forward=0`; nfwalk's defaults for the rest. */
  readonly sysctls?: readonly string[];
  /** Names for the two texts in diagnostics (default `addr` and `route`). */
  readonly addrFile?: string;
  readonly routeFile?: string;
}

/** The host the texts describe, or every problem found in them as positioned diagnostics. */
export function loadHost(texts: HostTexts): Parsed<Host> {
  const interfaces = parseIpAddr(texts.addr, texts.addrFile ?? "addr");
  const routes = parseIpRoute(texts.route, texts.routeFile ?? "route");
  const sysctls = parseSysctls(texts.sysctls ?? []);
  if (interfaces.ok && routes.ok && sysctls.ok) {
    return { ok: true, value: { interfaces: interfaces.value, routes: routes.value, sysctls: sysctls.value, origin: { kind: "files" } } };
  }
  const problems = (parsed: Parsed<unknown>): readonly Diagnostic[] => (parsed.ok ? [] : parsed.diagnostics);
  return { ok: false, diagnostics: [...problems(interfaces), ...problems(routes), ...problems(sysctls)] };
}
