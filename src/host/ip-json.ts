/**
 * Reads what `ip -json addr show` and `ip -json route show` print (iproute2's
 * ipaddress.c / iproute.c JSON output) into the host model. Errors are diagnostics
 * pointing at the entry or field at fault.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import type { Family } from "../model/types.js";
import type { Address } from "../packet/packet.js";
import type { Json } from "./json.js";
import { isJsonObject, type JsonShape, readJsonArray } from "./json-shape.js";
import { bitsOf, familyOfText, parseAddress } from "./prefix.js";
import type { Interface, InterfaceAddress, Route, RouteType } from "./types.js";

/** A reader's answer: the value, or every problem found as positioned diagnostics. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

// ---------------------------------------------------------------------------------------------
// ip -json addr show

const ADDRESS_SCOPES = ["host", "link", "global", "site"] as const;

/** Reads `ip -json addr show` output into the host's interfaces and addresses. */
export function parseIpAddr(text: string, file: string): Parsed<Interface[]> {
  const read = readJsonArray(text, file, "ip -json addr show", "ip-json");
  if (!("shape" in read)) return { ok: false, diagnostics: [read] };
  const { shape: ctx, entries } = read;
  const interfaces: Interface[] = [];
  entries.forEach((entry, i) => {
    const parsed = readInterface(ctx, entry, `interface entry ${i + 1}`);
    if (parsed !== undefined) interfaces.push(parsed);
  });
  const names = new Set<string>();
  for (const iface of interfaces) {
    if (names.has(iface.name)) ctx.report(`interface "${iface.name}" is listed twice`, undefined);
    names.add(iface.name);
  }
  return ctx.diagnostics.length > 0 ? { ok: false, diagnostics: ctx.diagnostics } : { ok: true, value: interfaces };
}

function readInterface(ctx: JsonShape, entry: Json, label: string): Interface | undefined {
  if (!isJsonObject(entry)) {
    ctx.report(`${label}: expected an object`, typeof entry === "object" && entry !== null ? entry : undefined);
    return undefined;
  }
  const name = entry["ifname"];
  const index = entry["ifindex"];
  const flags = entry["flags"] ?? [];
  const addrInfo = entry["addr_info"] ?? [];
  const master = entry["master"];
  const before = ctx.diagnostics.length;
  if (typeof name !== "string" || name === "") ctx.report(`${label}: "ifname" must be a non-empty string`, entry, "ifname");
  if (typeof index !== "number" || !Number.isInteger(index)) ctx.report(`${label}: "ifindex" must be an integer`, entry, "ifindex");
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === "string")) ctx.report(`${label}: "flags" must be an array of strings`, entry, "flags");
  if (!Array.isArray(addrInfo)) ctx.report(`${label}: "addr_info" must be an array`, entry, "addr_info");
  if (master !== undefined && typeof master !== "string") ctx.report(`${label}: "master" must be a string`, entry, "master");
  if (ctx.diagnostics.length > before) return undefined;
  const flagList = flags as readonly string[];
  const where = `${label} (${name as string})`;
  const addresses = (addrInfo as readonly Json[]).flatMap((info, j) => {
    const a = readInterfaceAddress(ctx, info, `${where}, address ${j + 1}`);
    return a === undefined ? [] : [a];
  });
  const linkType = entry["link_type"];
  return {
    name: name as string,
    index: index as number,
    kind: linkType === "loopback" || flagList.includes("LOOPBACK") ? "loopback" : linkType === "ether" ? "ether" : "other",
    up: flagList.includes("UP"),
    master: master as string | undefined,
    addresses,
  };
}

function readInterfaceAddress(ctx: JsonShape, info: Json, label: string): InterfaceAddress | undefined {
  if (!isJsonObject(info)) {
    ctx.report(`${label}: expected an object`, undefined);
    return undefined;
  }
  // `ip -json addr show` prints {} for an address family filtered out; nothing to read.
  if (Object.keys(info).length === 0) return undefined;
  const familyName = info["family"];
  if (familyName !== "inet" && familyName !== "inet6") {
    ctx.report(`${label}: "family" must be "inet" or "inet6"`, info, "family");
    return undefined;
  }
  const family: Family = familyName === "inet" ? "ipv4" : "ipv6";
  const local = info["local"];
  const prefixLength = info["prefixlen"];
  const scope = info["scope"] ?? "global";
  const broadcast = info["broadcast"];
  const localAddress = typeof local === "string" ? parseAddress(local, family) : undefined;
  const broadcastAddress = typeof broadcast === "string" && family === "ipv4" ? parseAddress(broadcast, family) : undefined;
  const before = ctx.diagnostics.length;
  if (localAddress === undefined) ctx.report(`${label}: "local" must be an ${family === "ipv4" ? "IPv4" : "IPv6"} address`, info, "local");
  if (typeof prefixLength !== "number" || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bitsOf(family)) {
    ctx.report(`${label}: "prefixlen" must be an integer from 0 to ${bitsOf(family)}`, info, "prefixlen");
  }
  if (typeof scope !== "string" || !(ADDRESS_SCOPES as readonly string[]).includes(scope)) {
    ctx.report(`${label}: "scope" must be one of ${ADDRESS_SCOPES.join(", ")}`, info, "scope");
  }
  if (broadcast !== undefined && family === "ipv4" && broadcastAddress === undefined) {
    ctx.report(`${label}: "broadcast" must be an IPv4 address`, info, "broadcast");
  }
  if (ctx.diagnostics.length > before || localAddress === undefined) return undefined;
  return {
    address: localAddress,
    prefixLength: prefixLength as number,
    scope: scope as InterfaceAddress["scope"],
    broadcast: broadcastAddress,
    // iproute2 prints IFA_F_SECONDARY as "secondary" for IPv4 and "temporary" for IPv6.
    secondary: family === "ipv4" && info["secondary"] === true,
    tentative: info["tentative"] === true,
  };
}

// ---------------------------------------------------------------------------------------------
// ip -json route show

const ROUTE_TYPES: readonly RouteType[] = ["unicast", "local", "broadcast", "multicast", "anycast", "blackhole", "unreachable", "prohibit", "throw"];
/** iproute2 prints the universe scope as "global"; "site" is not a route scope. */
const ROUTE_SCOPES: ReadonlyMap<string, Route["scope"]> = new Map([
  ["global", "global"],
  ["universe", "global"],
  ["link", "link"],
  ["host", "host"],
]);

/** Reads `ip -json route show` output (the main table) into routes. */
export function parseIpRoute(text: string, file: string): Parsed<Route[]> {
  const read = readJsonArray(text, file, "ip -json route show", "ip-json");
  if (!("shape" in read)) return { ok: false, diagnostics: [read] };
  const { shape: ctx, entries } = read;
  const fileFamily = guessFileFamily(entries);
  const routes: Route[] = [];
  entries.forEach((entry, i) => {
    const route = readRoute(ctx, entry, `route entry ${i + 1}`, fileFamily);
    if (route !== undefined) routes.push(route);
  });
  return ctx.diagnostics.length > 0 ? { ok: false, diagnostics: ctx.diagnostics } : { ok: true, value: routes };
}

/** The family of a route whose own fields do not tell it (`default dev ppp0`): the file's. */
function guessFileFamily(entries: readonly Json[]): Family {
  for (const entry of entries) {
    if (!isJsonObject(entry)) continue;
    for (const key of ["dst", "gateway", "prefsrc"]) {
      const value = entry[key];
      if (typeof value === "string" && value !== "default") return familyOfText(value);
    }
  }
  return "ipv4";
}

function readRoute(ctx: JsonShape, entry: Json, label: string, fileFamily: Family): Route | undefined {
  if (!isJsonObject(entry)) {
    ctx.report(`${label}: expected an object`, undefined);
    return undefined;
  }
  const dst = entry["dst"];
  const typeName = entry["type"] ?? "unicast";
  const gateway = entry["gateway"];
  const dev = entry["dev"];
  const metric = entry["metric"] ?? 0;
  const prefsrc = entry["prefsrc"];
  const scopeName = entry["scope"] ?? "global";
  if (typeof dst !== "string") {
    ctx.report(`${label}: "dst" must be a string`, entry, "dst");
    return undefined;
  }
  const where = `${label} (${dst})`;
  const before = ctx.diagnostics.length;
  const type = ROUTE_TYPES.find((t) => t === typeName);
  if (type === undefined) ctx.report(`${where}: route type ${JSON.stringify(typeName)} is not one nfwalk models (${ROUTE_TYPES.join(", ")})`, entry, "type");
  const scope = typeof scopeName === "string" ? ROUTE_SCOPES.get(scopeName) : undefined;
  if (scope === undefined) ctx.report(`${where}: "scope" must be global, link or host`, entry, "scope");
  if (typeof metric !== "number" || !Number.isInteger(metric) || metric < 0) ctx.report(`${where}: "metric" must be a non-negative integer`, entry, "metric");
  if (dev !== undefined && typeof dev !== "string") ctx.report(`${where}: "dev" must be a string`, entry, "dev");
  if (entry["nexthops"] !== undefined) ctx.report(`${where}: multipath routes ("nexthops") are not modelled`, entry, "nexthops");

  const family = dst === "default" ? (typeof gateway === "string" ? familyOfText(gateway) : typeof prefsrc === "string" ? familyOfText(prefsrc) : fileFamily) : familyOfText(dst);
  const [dstText, lengthText] = dst === "default" ? [family === "ipv4" ? "0.0.0.0" : "::", "0"] : dst.split("/", 2);
  const destination = parseAddress(dstText!, family);
  const prefixLength = lengthText === undefined ? bitsOf(family) : /^[0-9]{1,3}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (destination === undefined || !(prefixLength <= bitsOf(family))) ctx.report(`${where}: "dst" must be "default", an address or address/length`, entry, "dst");
  const optionalAddress = (key: string, value: Json | undefined): Address | undefined => {
    if (value === undefined) return undefined;
    const parsed = typeof value === "string" ? parseAddress(value, family) : undefined;
    if (parsed === undefined) ctx.report(`${where}: "${key}" must be an ${family === "ipv4" ? "IPv4" : "IPv6"} address`, entry, key);
    return parsed;
  };
  const gatewayAddress = optionalAddress("gateway", gateway);
  const preferredSource = optionalAddress("prefsrc", prefsrc);
  if (ctx.diagnostics.length > before || destination === undefined || type === undefined || scope === undefined) return undefined;
  return {
    family,
    destination,
    prefixLength,
    type,
    device: dev as string | undefined,
    gateway: gatewayAddress,
    metric: metric as number,
    preferredSource,
    scope,
  };
}
