/**
 * Reading `docker inspect` and `docker network inspect` output into the inventory that
 * names containers and networks: the example host's files, Docker's bridge naming, either
 * output alone, and every malformed input as a diagnostic at its line and column.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDockerInspect, parseDockerNetworkInspect, type InspectedContainer, type InspectedNetwork } from "../../src/docker/inspect.js";
import { dockerInventory } from "../../src/docker/inventory.js";
import { parseAddress } from "../../src/host/prefix.js";
import { formatCidr } from "../../src/model/address.js";
import { formatAddress } from "../../src/packet/format.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const ok = <T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }): T => (r.ok ? r.value : expect.fail(JSON.stringify(r.diagnostics)));
const at = (text: string) => parseAddress(text)!;

const containers = ok(parseDockerInspect(read("docker-inspect.json"), "docker-inspect.json"));
const networks = ok(parseDockerNetworkInspect(read("docker-network-inspect.json"), "docker-network-inspect.json"));

function problems(r: { ok: boolean; diagnostics?: readonly { code: string; message: string; span?: { line: number; column: number } }[] }): string[] {
  return (r.diagnostics ?? []).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe("docker inspect output", () => {
  test("the example's containers: names without the slash, addresses per network, published ports", () => {
    expect(containers.map((c) => [c.name, c.id.slice(0, 12), c.addresses.map((a) => `${a.network} ${formatAddress(a.address)}`)])).toEqual([
      ["web", "746611d05e68", ["bridge 172.17.0.2"]],
      ["db", "e72216e2bd9b", ["net1 172.18.0.2"]],
    ]);
    expect(containers[0]!.published.map((b) => `${b.protocol} ${b.hostIp ? formatAddress(b.hostIp) : "*"}:${b.hostPort} -> ${b.containerPort}`)).toEqual([
      "tcp 0.0.0.0:8080 -> 80",
      "tcp :::8080 -> 80",
    ]);
    expect(containers[1]!.published).toEqual([]); // "5432/tcp": null is exposed, not published
  });

  test("IPv6 addresses, several networks, and HostIp left empty", () => {
    const text = JSON.stringify([
      {
        Id: "c1",
        Name: "/api",
        NetworkSettings: {
          Ports: { "53/udp": [{ HostIp: "", HostPort: "5353" }], "443/tcp": [{ HostIp: "127.0.0.1", HostPort: "8443" }] },
          Networks: { front: { IPAddress: "172.20.0.5", GlobalIPv6Address: "fd00:20::5" }, back: { IPAddress: "172.21.0.5", GlobalIPv6Address: "" } },
        },
      },
    ]);
    const [api] = ok(parseDockerInspect(text, "c.json"));
    expect(api!.addresses.map((a) => `${a.network} ${formatAddress(a.address)}`)).toEqual(["front 172.20.0.5", "front fd00:20::5", "back 172.21.0.5"]);
    expect(api!.published).toEqual([
      { protocol: "udp", containerPort: 53, hostIp: undefined, hostPort: 5353 },
      { protocol: "tcp", containerPort: 443, hostIp: at("127.0.0.1"), hostPort: 8443 },
    ]);
  });

  test("malformed JSON: a syntax error at its line and column", () => {
    const r = parseDockerInspect('[\n  {"Id": "c1",\n   "Name": "/web"\n   "NetworkSettings": {}}\n]\n', "bad.json");
    expect(problems(r)).toEqual(["4:4 docker-json-syntax not valid JSON: expected ',' or '}' after a property value"]);
  });

  test("the wrong shape: each problem at the member it concerns", () => {
    const text = [
      "[",
      '  {"Id": "c1", "Name": 7, "NetworkSettings": {}},',
      '  {"Id": "c2", "Name": "/x", "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.300"}}}},',
      '  {"Id": "c3", "Name": "/y", "NetworkSettings": {"Ports": {"80": null, "81/tcp": [{"HostIp": "0.0.0.0", "HostPort": "http"}]}}},',
      '  {"Name": "bridge", "Id": "n1", "IPAM": {"Config": []}},',
      "  42",
      "]",
    ].join("\n");
    expect(problems(parseDockerInspect(text, "c.json"))).toEqual([
      '2:24 docker-json-shape entry 1: "Name" must be a string',
      '3:87 docker-json-shape entry 2 (x), network "bridge": "IPAddress" must be an IP address, not "172.17.0.300"',
      '4:66 docker-json-shape entry 3 (y): port "80" must be PORT/tcp, PORT/udp or PORT/sctp',
      '4:117 docker-json-shape entry 3 (y), port 81/tcp: "HostPort" must be a port number, not "http"',
      '5:3 docker-json-shape entry 4: not a container: `docker inspect` of a container has "NetworkSettings"; this looks like `docker network inspect` output',
      "6:3 docker-json-shape entry 5: expected an object",
    ]);
  });

  test("not an array", () => {
    expect(problems(parseDockerInspect('\n  {"Id": "c1"}', "c.json"))).toEqual(["2:3 docker-json-shape expected the JSON array that `docker inspect` prints"]);
  });
});

describe("docker network inspect output", () => {
  test("the example's networks: bridge names from the option, drivers without a bridge, subnets", () => {
    expect(networks.map((n) => [n.name, n.driver, n.bridge, n.subnets.map(formatCidr), n.containers.map((c) => c.name)])).toEqual([
      ["bridge", "bridge", "docker0", ["172.17.0.0/16"], ["web"]],
      ["host", "host", undefined, [], []],
      ["net1", "bridge", "br-net1", ["172.18.0.0/16"], ["db"]],
      ["none", "null", undefined, [], []],
    ]);
  });

  test("without the bridge-name option: docker0 for the default network, br- and the id's first 12 characters for the others", () => {
    const text = JSON.stringify([
      { Name: "bridge", Id: "a".repeat(64), Driver: "bridge", Options: {} },
      { Name: "app", Id: "0123456789abcdef".repeat(4), Driver: "bridge", Options: null, IPAM: { Config: [{ Subnet: "fd00:1::/64" }] } },
    ]);
    const parsed = ok(parseDockerNetworkInspect(text, "n.json"));
    expect(parsed.map((n) => [n.bridge, n.subnets.map(formatCidr)])).toEqual([
      ["docker0", []],
      ["br-0123456789ab", ["fd00:1::/64"]],
    ]);
  });

  test("the wrong shape, and a container's inspect output given as a network's", () => {
    const text = [
      "[",
      '  {"Name": "n", "Id": "n1", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "172.30.0.0/33"}]}},',
      '  {"Name": "m", "Id": "n2", "Containers": {"c1": {"Name": "web", "IPv4Address": "web"}}},',
      '  {"Id": "c1", "Name": "/web", "NetworkSettings": {}}',
      "]",
    ].join("\n");
    expect(problems(parseDockerNetworkInspect(text, "n.json"))).toEqual([
      '2:80 docker-json-shape entry 1 (n), IPAM: "Subnet" must be ADDRESS/LENGTH, not "172.30.0.0/33"',
      '3:81 docker-json-shape entry 2 (m), container c1: "IPv4Address" must be an IP address, not "web"',
      "4:3 docker-json-shape entry 3: not a network: this looks like `docker inspect` output of a container",
    ]);
  });
});

describe("the inventory", () => {
  const inventory = dockerInventory(containers, networks);

  test("a container by any of its addresses, with its network and bridge", () => {
    const web = inventory.containerAt(at("172.17.0.2"))!;
    expect([web.container.name, web.network, web.bridge]).toEqual(["web", "bridge", "docker0"]);
    expect(inventory.containerAt(at("172.18.0.2"))?.container.name).toBe("db");
    expect(inventory.containerAt(at("172.17.0.9"))).toBeUndefined();
  });

  test("a network by its bridge and by an address of its subnet", () => {
    expect(inventory.networkOfBridge("br-net1")?.name).toBe("net1");
    expect(inventory.networkOfBridge("eth0")).toBeUndefined();
    expect(inventory.networkOfAddress(at("172.18.0.77"))?.name).toBe("net1");
    expect(inventory.networkOfAddress(at("10.99.0.1"))).toBeUndefined();
  });

  test("network inspect output alone names containers; a container on two networks is one container", () => {
    const attached = (name: string, id: string, address: string): InspectedContainer => ({ name, id, addresses: [{ network: "x", address: at(address) }], published: [] });
    const network = (name: string, bridge: string, members: InspectedContainer[]): InspectedNetwork => ({ name, id: name, driver: "bridge", bridge, subnets: [], containers: members });
    const only = dockerInventory([], [network("a", "br-a", [attached("web", "c1", "172.20.0.2")]), network("b", "br-b", [attached("web", "c1", "172.21.0.2")])]);
    expect(only.containers.map((c) => [c.name, c.addresses.map((a) => formatAddress(a.address))])).toEqual([["web", ["172.20.0.2", "172.21.0.2"]]]);
    // `docker inspect` output wins over the network's listing of the same container.
    const both = dockerInventory(
      [{ ...attached("web", "c1", "172.20.0.2"), published: [{ protocol: "tcp", containerPort: 80, hostIp: undefined, hostPort: 80 }] }],
      [network("a", "br-a", [attached("web", "c1", "172.20.0.2")])],
    );
    expect(both.containers).toHaveLength(1);
    expect(both.containers[0]!.published).toHaveLength(1);
  });
});
