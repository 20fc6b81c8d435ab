/**
 * `--sysctl NAME=VALUE`: the sysctls that change routing and filtering.
 *
 * Defaults, and what the kernel itself starts with:
 * - net.ipv4.ip_forward / net.ipv6.conf.all.forwarding: 1 (the command-line contract; the
 *   kernel starts with 0, but hosts running Docker or any router have set it to 1).
 * - rp_filter: 0, the kernel's default (systemd-based distributions ship 2, loose).
 * - route_localnet: 0, the kernel's default.
 * - net.bridge.bridge-nf-call-iptables / -ip6tables: 0, what a host without the br_netfilter
 *   module behaves like (bridged frames skip iptables). Once br_netfilter is loaded the
 *   kernel's default is 1, and Docker loads it: pass 1 for such a host.
 * Settings nfwalk does not take as flags keep their kernel defaults: send_redirects 1,
 * accept_local 0, bc_forwarding 0, per-interface forwarding equal to ip_forward.
 */
import { error, type Diagnostic } from "../diag/diagnostic.js";
import type { Family } from "../model/types.js";
import type { Parsed } from "./ip-json.js";
import type { Sysctls } from "./types.js";

interface Settings {
  forwarding: Record<Family, boolean>;
  bridgeNfCall: Record<Family, boolean>;
  /** Keyed by interface name or `all`. */
  routeLocalnet: Map<string, boolean>;
  rpFilter: Map<string, 0 | 1 | 2>;
}

function defaultSettings(): Settings {
  return { forwarding: { ipv4: true, ipv6: true }, bridgeNfCall: { ipv4: false, ipv6: false }, routeLocalnet: new Map(), rpFilter: new Map() };
}

/** The sysctls nfwalk assumes when none are given: forwarding on, rp_filter off, route_localnet off, bridge-nf-call-iptables off. */
export const DEFAULT_SYSCTLS: Sysctls = buildSysctls(defaultSettings());

function buildSysctls(s: Settings): Sysctls {
  const allLocalnet = s.routeLocalnet.get("all") ?? false;
  const allRp = s.rpFilter.get("all") ?? 0;
  return {
    forwarding: { ...s.forwarding },
    bridgeNfCall: { ...s.bridgeNfCall },
    // IN_DEV_ORCONF(ROUTE_LOCALNET) and IN_DEV_MAXCONF(RP_FILTER) (include/linux/inetdevice.h).
    routeLocalnet: (device) => allLocalnet || (s.routeLocalnet.get(device) ?? false),
    rpFilter: (device) => Math.max(allRp, s.rpFilter.get(device) ?? 0) as 0 | 1 | 2,
  };
}

/**
 * The name as `/`-separated parts, the way sysctl(8) reads it: when the first separator is
 * a dot, dots separate and a `/` stands for a dot inside a part (`conf.eth0/10.rp_filter`
 * is interface eth0.10); when it is a slash, only slashes separate.
 */
function nameParts(name: string): string[] {
  const firstDot = name.indexOf(".");
  const firstSlash = name.indexOf("/");
  if (firstSlash !== -1 && (firstDot === -1 || firstSlash < firstDot)) return name.split("/");
  return name.split(".").map((part) => part.replaceAll("/", "."));
}

type Setting =
  | { readonly key: "forwarding" | "bridgeNfCall"; readonly family: Family }
  | { readonly key: "routeLocalnet"; readonly device: string }
  | { readonly key: "rpFilter"; readonly device: string };

function settingOf(parts: readonly string[]): Setting | undefined {
  const path = parts.join("/");
  switch (path) {
    case "net/ipv4/ip_forward":
    case "net/ipv4/conf/all/forwarding":
      return { key: "forwarding", family: "ipv4" };
    case "net/ipv6/conf/all/forwarding":
      return { key: "forwarding", family: "ipv6" };
    case "net/bridge/bridge-nf-call-iptables":
      return { key: "bridgeNfCall", family: "ipv4" };
    case "net/bridge/bridge-nf-call-ip6tables":
      return { key: "bridgeNfCall", family: "ipv6" };
  }
  const [net, ipv4, conf, device, leaf, ...rest] = parts;
  if (net !== "net" || ipv4 !== "ipv4" || conf !== "conf" || device === undefined || device === "default" || rest.length > 0) return undefined;
  if (leaf === "rp_filter") return { key: "rpFilter", device };
  if (leaf === "route_localnet") return { key: "routeLocalnet", device };
  return undefined;
}

const KNOWN = [
  "net.ipv4.ip_forward",
  "net.ipv4.conf.all.forwarding",
  "net.ipv6.conf.all.forwarding",
  "net.ipv4.conf.{all,IFACE}.rp_filter",
  "net.ipv4.conf.{all,IFACE}.route_localnet",
  "net.bridge.bridge-nf-call-iptables",
  "net.bridge.bridge-nf-call-ip6tables",
];

/** Reads `--sysctl` assignments, later ones overriding earlier ones, over the defaults. */
export function parseSysctls(assignments: readonly string[]): Parsed<Sysctls> {
  const settings = defaultSettings();
  const diagnostics: Diagnostic[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const name = (eq === -1 ? assignment : assignment.slice(0, eq)).trim();
    const valueText = eq === -1 ? "" : assignment.slice(eq + 1).trim();
    const setting = settingOf(nameParts(name));
    if (setting === undefined) {
      diagnostics.push(error("unknown-sysctl", `--sysctl ${assignment}: nfwalk does not know "${name}"`, undefined, [`known: ${KNOWN.join(", ")}`]));
      continue;
    }
    const allowed = setting.key === "rpFilter" ? ["0", "1", "2"] : ["0", "1"];
    if (!allowed.includes(valueText)) {
      diagnostics.push(error("bad-sysctl-value", `--sysctl ${assignment}: the value must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`));
      continue;
    }
    const value = Number(valueText);
    if (setting.key === "forwarding" || setting.key === "bridgeNfCall") settings[setting.key][setting.family] = value === 1;
    else if (setting.key === "routeLocalnet") settings.routeLocalnet.set(setting.device, value === 1);
    else if (setting.key === "rpFilter") settings.rpFilter.set(setting.device, value as 0 | 1 | 2);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, value: buildSysctls(settings) };
}
