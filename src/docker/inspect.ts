/**
 * Reads what `docker inspect CONTAINER…` and `docker network inspect NETWORK…` print
 * (the Engine API's ContainerJSON and NetworkResource, as arrays) into the little nfwalk
 * needs to name things: containers with their addresses and published ports, networks
 * with their Linux bridge and subnets. Unknown members are ignored; a member nfwalk reads
 * with the wrong type is a diagnostic at that member.
 */
import type { Parsed } from "../host/ip-json.js";
import type { Json } from "../host/json.js";
import { isJsonObject, readJsonArray, type JsonObject, type JsonShape } from "../host/json-shape.js";
import { familyOfText, parseAddress } from "../host/prefix.js";
import { parseCidr } from "../model/address.js";
import type { Cidr } from "../model/types.js";
import type { Address } from "../packet/packet.js";

export interface ContainerAddress {
  /** The network's name, as the key of NetworkSettings.Networks. */
  readonly network: string;
  readonly address: Address;
}

/** One host binding of NetworkSettings.Ports: `"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]`. */
export interface PortBinding {
  readonly protocol: string;
  readonly containerPort: number;
  /** The HostIp: 0.0.0.0 or :: for every address of that family; undefined (HostIp "") for every address. */
  readonly hostIp: Address | undefined;
  readonly hostPort: number;
}

export interface InspectedContainer {
  /** Without the leading slash Docker keeps: `web`. */
  readonly name: string;
  readonly id: string;
  /** IPv4 and IPv6 addresses, one network after another. */
  readonly addresses: readonly ContainerAddress[];
  readonly published: readonly PortBinding[];
}

export interface InspectedNetwork {
  readonly name: string;
  readonly id: string;
  readonly driver: string;
  /** The Linux bridge of a `bridge` network; undefined for other drivers. */
  readonly bridge: string | undefined;
  readonly subnets: readonly Cidr[];
  /** Its containers as the network lists them (name, id and addresses; no ports). */
  readonly containers: readonly InspectedContainer[];
}

const CODE = "docker-json";
const BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

/** Reads `docker inspect` output of containers (a JSON array): names, addresses, networks and published ports. */
export function parseDockerInspect(text: string, file: string): Parsed<InspectedContainer[]> {
  return readEntries(text, file, "docker inspect", readContainer);
}

/** Reads `docker network inspect` output (a JSON array): names, bridges, subnets and options. */
export function parseDockerNetworkInspect(text: string, file: string): Parsed<InspectedNetwork[]> {
  return readEntries(text, file, "docker network inspect", readNetwork);
}

function readEntries<T>(text: string, file: string, what: string, read: (shape: JsonShape, entry: JsonObject, label: string) => T | undefined): Parsed<T[]> {
  const parsed = readJsonArray(text, file, what, CODE);
  if (!("shape" in parsed)) return { ok: false, diagnostics: [parsed] };
  const { shape, entries } = parsed;
  const values = entries.flatMap((entry, i) => {
    if (!isJsonObject(entry)) {
      shape.report(`entry ${i + 1}: expected an object`, entries, String(i));
      return [];
    }
    const value = read(shape, entry, `entry ${i + 1}`);
    return value === undefined ? [] : [value];
  });
  return shape.diagnostics.length > 0 ? { ok: false, diagnostics: shape.diagnostics } : { ok: true, value: values };
}

/** The object `key` holds, {} when it is absent or null, or undefined (reported) when it is something else. */
function objectAt(shape: JsonShape, node: JsonObject, key: string, label: string): JsonObject | undefined {
  const value = node[key] ?? {};
  if (isJsonObject(value)) return value;
  shape.report(`${label}: "${key}" must be an object`, node, key);
  return undefined;
}

function stringAt(shape: JsonShape, node: JsonObject, key: string, label: string, fallback?: string): string | undefined {
  const value = node[key] ?? fallback;
  if (typeof value === "string") return value;
  shape.report(`${label}: "${key}" must be a string`, node, key);
  return undefined;
}

/** An address member: "" means none; anything else must be an address (or address/length, as networks list their containers). */
function addressAt(shape: JsonShape, node: JsonObject, key: string, label: string): Address | undefined {
  const text = stringAt(shape, node, key, label, "");
  if (text === undefined || text === "") return undefined;
  const address = parseAddress(text.replace(/\/\d+$/, ""));
  if (address === undefined) shape.report(`${label}: "${key}" must be an IP address, not ${JSON.stringify(text)}`, node, key);
  return address;
}

function readContainer(shape: JsonShape, entry: JsonObject, label: string): InspectedContainer | undefined {
  if (entry["NetworkSettings"] === undefined) {
    const hint = entry["IPAM"] !== undefined ? "; this looks like `docker network inspect` output" : "";
    shape.report(`${label}: not a container: \`docker inspect\` of a container has "NetworkSettings"${hint}`, entry);
    return undefined;
  }
  const id = stringAt(shape, entry, "Id", label);
  const name = stringAt(shape, entry, "Name", label);
  const settings = objectAt(shape, entry, "NetworkSettings", label);
  if (id === undefined || name === undefined || settings === undefined) return undefined;
  const bareName = name.replace(/^\//, "");
  const where = `${label} (${bareName})`;
  const networks = objectAt(shape, settings, "Networks", where) ?? {};
  const ports = objectAt(shape, settings, "Ports", where) ?? {};
  const addresses = Object.entries(networks).flatMap(([network, endpoint]) => {
    if (!isJsonObject(endpoint)) {
      shape.report(`${where}: network "${network}" must be an object`, networks, network);
      return [];
    }
    return ["IPAddress", "GlobalIPv6Address"].flatMap((key) => {
      const address = addressAt(shape, endpoint, key, `${where}, network "${network}"`);
      return address === undefined ? [] : [{ network, address }];
    });
  });
  const published = Object.entries(ports).flatMap(([port, bindings]) => readBindings(shape, ports, port, bindings, where));
  return { name: bareName, id, addresses, published };
}

/** `"80/tcp": null` (exposed, not published) or `[{"HostIp": "0.0.0.0", "HostPort": "8080"}, …]`. */
function readBindings(shape: JsonShape, ports: JsonObject, port: string, bindings: Json, label: string): PortBinding[] {
  const m = /^(\d{1,5})\/(tcp|udp|sctp)$/.exec(port);
  if (m === null) {
    shape.report(`${label}: port "${port}" must be PORT/tcp, PORT/udp or PORT/sctp`, ports, port);
    return [];
  }
  if (bindings === null) return [];
  if (!Array.isArray(bindings)) {
    shape.report(`${label}: port "${port}" must be null or an array of {"HostIp", "HostPort"}`, ports, port);
    return [];
  }
  const where = `${label}, port ${port}`;
  return bindings.flatMap((binding: Json, i) => {
    if (!isJsonObject(binding)) {
      shape.report(`${where}: each binding must be an object {"HostIp", "HostPort"}`, bindings, String(i));
      return [];
    }
    const hostPortText = stringAt(shape, binding, "HostPort", where);
    const hostPort = hostPortText === undefined ? undefined : portNumber(hostPortText);
    if (hostPortText !== undefined && hostPort === undefined) shape.report(`${where}: "HostPort" must be a port number, not ${JSON.stringify(hostPortText)}`, binding, "HostPort");
    const hostIp = addressAt(shape, binding, "HostIp", where);
    return hostPort === undefined ? [] : [{ protocol: m[2]!, containerPort: Number(m[1]), hostIp, hostPort }];
  });
}

const portNumber = (text: string): number | undefined => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined);

function readNetwork(shape: JsonShape, entry: JsonObject, label: string): InspectedNetwork | undefined {
  if (entry["NetworkSettings"] !== undefined) {
    shape.report(`${label}: not a network: this looks like \`docker inspect\` output of a container`, entry);
    return undefined;
  }
  const name = stringAt(shape, entry, "Name", label);
  const id = stringAt(shape, entry, "Id", label);
  const driver = stringAt(shape, entry, "Driver", label, "");
  if (name === undefined || id === undefined || driver === undefined) return undefined;
  const where = `${label} (${name})`;
  // Read in the order Docker prints the members, so that problems are reported in file order.
  const subnets = readSubnets(shape, entry, where);
  const containers = readAttached(shape, entry, name, where);
  const bridgeOption = objectAt(shape, entry, "Options", where)?.[BRIDGE_NAME_OPTION];
  // Docker's own default when the option is not set (libnetwork's bridge driver).
  const bridge = driver !== "bridge" ? undefined : typeof bridgeOption === "string" && bridgeOption !== "" ? bridgeOption : name === "bridge" ? "docker0" : `br-${id.slice(0, 12)}`;
  return { name, id, driver, bridge, subnets, containers };
}

/** IPAM.Config[].Subnet. */
function readSubnets(shape: JsonShape, entry: JsonObject, label: string): Cidr[] {
  const ipam = objectAt(shape, entry, "IPAM", label);
  const config = ipam?.["Config"] ?? [];
  if (!Array.isArray(config)) {
    shape.report(`${label}: "IPAM"."Config" must be an array`, ipam, "Config");
    return [];
  }
  return config.flatMap((pool: Json) => {
    if (!isJsonObject(pool) || pool["Subnet"] === undefined) return [];
    const text = stringAt(shape, pool, "Subnet", `${label}, IPAM`);
    const cidr = text === undefined ? undefined : parseCidr(text, familyOfText(text));
    if (typeof cidr === "object") return [cidr];
    if (text !== undefined) shape.report(`${label}, IPAM: "Subnet" must be ADDRESS/LENGTH, not ${JSON.stringify(text)}`, pool, "Subnet");
    return [];
  });
}

/** Containers: {ID: {"Name", "IPv4Address": "172.17.0.2/16", "IPv6Address"}}. */
function readAttached(shape: JsonShape, entry: JsonObject, network: string, label: string): InspectedContainer[] {
  const containers = objectAt(shape, entry, "Containers", label) ?? {};
  return Object.entries(containers).flatMap(([id, endpoint]) => {
    if (!isJsonObject(endpoint)) {
      shape.report(`${label}: container "${id}" must be an object`, containers, id);
      return [];
    }
    const where = `${label}, container ${id.slice(0, 12)}`;
    const name = stringAt(shape, endpoint, "Name", where);
    const addresses = ["IPv4Address", "IPv6Address"].flatMap((key) => {
      const address = addressAt(shape, endpoint, key, where);
      return address === undefined ? [] : [{ network, address }];
    });
    return name === undefined ? [] : [{ name, id, addresses, published: [] }];
  });
}
