/**
 * Containers and networks named in `why`, `ports` and text traces from `--docker-inspect` /
 * `--docker-networks` or a snapshot's docker section; without them the outputs are
 * exactly as before (the goldens in examples/docker-host/why/ say so for `why`).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { linesOf } from "../../src/snapshot/format.js";
import { SNAPSHOT_FORMAT, writeSnapshot, type Snapshot } from "../../src/snapshot/index.js";
import { runCli } from "../helpers/memory-io.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const files: Record<string, string> = Object.fromEntries(["rules.v4", "ip-addr.json", "ip-route.json", "docker-inspect.json", "docker-network-inspect.json"].map((f) => [f, read(f)]));
const host = ["--rules", "rules.v4", "--addr", "ip-addr.json", "--route", "ip-route.json"];
const docker = ["--docker-inspect", "docker-inspect.json", "--docker-networks", "docker-network-inspect.json"];
/** The text with its lines joined, as the wrapped paragraphs read. */
const words = (text: string) => text.replace(/\s+/g, " ");

const snapshot = (dockerSection: unknown): string =>
  writeSnapshot({
    format: SNAPSHOT_FORMAT,
    taken: "2025-05-12T10:00:00.000Z",
    iptables: linesOf(files["rules.v4"]!),
    ip6tables: null,
    ip: { addr: JSON.parse(files["ip-addr.json"]!), route: JSON.parse(files["ip-route.json"]!), route6: [], rule: null },
    sysctls: { "net.ipv4.ip_forward": "1" },
    ipset: null,
    docker: dockerSection,
    kubernetes: null,
    missing: [],
  } as Snapshot);

describe("why with Docker's names", () => {
  test("--json: who sends it, whom it is for, where DNAT sends it, and the networks of its bridges", async () => {
    const isolated = JSON.parse((await runCli(["why", ...host, ...docker, "--json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], files)).stdout);
    expect(isolated.names).toEqual({
      source: { name: "web", id: expect.stringMatching(/^746611d05e68/), address: "172.17.0.2", network: "bridge", bridge: "docker0" },
      destination: { name: "db", id: expect.stringMatching(/^e72216e2bd9b/), address: "172.18.0.2", network: "net1", bridge: "br-net1" },
      in: { name: "bridge", id: expect.stringMatching(/^2abbb94dae44/), bridge: "docker0" },
    });
    expect(isolated.advice[0]).toContain("docker network connect net1 web");
    const published = JSON.parse((await runCli(["why", ...host, ...docker, "--json", "--in", "eth0", "tcp 10.99.0.2 -> 10.99.0.1:8080"], files)).stdout);
    expect(published.answer).toBe("reached: forwarded to container web (172.17.0.2:80) on network bridge (docker0) after DNAT");
    expect(published.names.translated).toMatchObject({ name: "web", address: "172.17.0.2", port: 80 });
    expect(published.names.out).toMatchObject({ name: "bridge", bridge: "docker0" });
  });

  test("without them the JSON has no names", async () => {
    const plain = JSON.parse((await runCli(["why", ...host, "--json", "--in", "eth0", "tcp 10.99.0.2 -> 10.99.0.1:8080"], files)).stdout);
    expect(plain.names).toBeUndefined();
    expect(plain.answer).toBe("reached: forwarded to the container at 172.17.0.2:80 on docker0 after DNAT");
  });

  test("`docker inspect` alone names containers and their networks; `docker network inspect` alone names networks and the containers it lists", async () => {
    const containersOnly = await runCli(["why", ...host, "--docker-inspect", "docker-inspect.json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], files);
    expect(containersOnly.stdout).toContain("from      container web (172.17.0.2) on network bridge\nto        container db (172.18.0.2) on network net1\n");
    expect(words(containersOnly.stdout)).toContain("a container on docker0 cannot reach one on br-net1");
    expect(containersOnly.stdout).toContain("docker network connect net1 web");
    const networksOnly = await runCli(["why", ...host, "--docker-networks", "docker-network-inspect.json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], files);
    expect(networksOnly.stdout).toContain("from      container web (172.17.0.2) on network bridge (docker0)\n");
    expect(words(networksOnly.stdout)).toContain("a container on network bridge (docker0) cannot reach one on network net1 (br-net1)");
  });

  test("a malformed file: exit 2, the file, line and column on stderr, nothing on stdout, no stack trace", async () => {
    const bad = { ...files, "bad.json": '[\n  {"Id": "c1",\n   "Name": "/web"\n   "NetworkSettings": {}}\n]\n' };
    const r = await runCli(["why", ...host, "--docker-inspect", "bad.json", "--in", "eth0", "tcp 10.99.0.2 -> 10.99.0.1:8080"], bad);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "bad.json:4:4: error: not valid JSON: expected ',' or '}' after a property value [docker-json-syntax]\n" +
        ' 4 |    "NetworkSettings": {}}\n' +
        "   |    ^\n" +
        "nfwalk: bad.json: cannot be used\n",
    );
    const swapped = await runCli(["ports", ...host, "--docker-networks", "docker-inspect.json"], files);
    expect([swapped.code, swapped.stdout]).toEqual([2, ""]);
    expect(swapped.stderr).toContain("docker-inspect.json:2:5: error: entry 1: not a network: this looks like `docker inspect` output of a container [docker-json-shape]");
    expect(swapped.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("ports with Docker's names", () => {
  test("text: the container and network of each published port", async () => {
    const r = await runCli(["ports", ...host, ...docker], files);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tcp *:8080 -> container web (172.17.0.2:80) on network bridge (docker0)  (nat DOCKER line 48)\n");
    expect(r.stdout).not.toContain("docker inspect says");
  });

  test("JSON: names beside each port; ports docker inspect publishes but no DNAT rule does", async () => {
    const inspect = JSON.parse(files["docker-inspect.json"]!);
    inspect[1].NetworkSettings.Ports["5432/tcp"] = [
      { HostIp: "127.0.0.1", HostPort: "5432" },
      { HostIp: "::1", HostPort: "5432" },
    ];
    const edited = { ...files, "docker-inspect.json": JSON.stringify(inspect) };
    const json = JSON.parse((await runCli(["ports", ...host, ...docker, "--json"], edited)).stdout);
    expect(json.ports[0].names).toEqual({
      container: { name: "web", id: expect.any(String), address: "172.17.0.2", port: 80, network: "bridge", bridge: "docker0" },
      network: { name: "bridge", id: expect.any(String), bridge: "docker0" },
    });
    expect(json.inspectOnly).toEqual([
      { protocol: "tcp", hostAddress: "127.0.0.1", hostPort: 5432, container: { name: "db", id: expect.any(String), address: "172.18.0.2", port: 5432, network: "net1", bridge: "br-net1" } },
    ]);
    const text = (await runCli(["ports", ...host, ...docker], edited)).stdout;
    expect(text).toMatch(
      /\ndocker inspect says these are published, but no DNAT rule here publishes them: .*\ntcp 127\.0\.0\.1:5432 -> container db \(172\.18\.0\.2:5432\) on network net1 \(br-net1\)\n$/,
    );
  });

  test("without them: no names and no inspectOnly", async () => {
    const json = JSON.parse((await runCli(["ports", ...host, "--json"], files)).stdout);
    expect(json.ports[0].names).toBeUndefined();
    expect(json.inspectOnly).toBeUndefined();
  });
});

describe("trace with Docker's names", () => {
  test("the text ends with docker: lines; without the files it has none, and --json never does", async () => {
    const args = ["trace", ...host, "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"];
    const named = await runCli([...args.slice(0, -1), ...docker, args.at(-1)!], files);
    expect(named.stdout).toMatch(/\noutcome {2}forwarded: .*\ndocker: to container web \(172\.17\.0\.2:80\) on network bridge \(docker0\), after DNAT\n$/);
    expect((await runCli(args, files)).stdout).not.toContain("docker:");
    const json = await runCli(["trace", ...host, ...docker, "--json", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"], files);
    expect(json.stdout).toBe((await runCli(["trace", ...host, "--json", "--in", "eth0", "tcp 10.99.0.2:40000 -> 10.99.0.1:8080"], files)).stdout);
  });
});

describe("a snapshot's docker section", () => {
  const section = { containers: JSON.parse(files["docker-inspect.json"]!), networks: JSON.parse(files["docker-network-inspect.json"]!) };

  test("--host names containers and networks as the files do", async () => {
    const fromSnapshot = await runCli(["why", "--host", "snap.json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], { "snap.json": snapshot(section) });
    const fromFiles = await runCli(["why", ...host, ...docker, "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], files);
    expect(fromSnapshot.stderr).toBe("");
    expect(fromSnapshot.stdout.replaceAll("snap.json", "rules.v4")).toBe(fromFiles.stdout);
    const ports = await runCli(["ports", "--host", "snap.json"], { "snap.json": snapshot(section) });
    expect(ports.stdout).toContain("-> container web (172.17.0.2:80) on network bridge (docker0)");
  });

  test("a file given on the command line overrides the snapshot's part", async () => {
    const renamed = JSON.parse(files["docker-inspect.json"]!);
    renamed[0].Name = "/frontend";
    const r = await runCli(["why", "--host", "snap.json", "--docker-inspect", "renamed.json", "--json", "--in", "eth0", "tcp 10.99.0.2 -> 10.99.0.1:8080"], {
      "snap.json": snapshot(section),
      "renamed.json": JSON.stringify(renamed),
    });
    expect(JSON.parse(r.stdout).names.translated.name).toBe("frontend");
  });

  test("a bad section is a warning at its place in the snapshot; the answer goes on without those names", async () => {
    const broken = { containers: [{ Id: "c1", Name: "/web", NetworkSettings: { Networks: { bridge: { IPAddress: "172.17.0.999" } } } }], networks: section.networks };
    const text = snapshot(broken);
    const r = await runCli(["why", "--host", "snap.json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], { "snap.json": text });
    expect(r.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.includes("172.17.0.999")) + 1;
    expect(r.stderr).toContain(`snap.json:${line}:`);
    expect(r.stderr).toContain('warning: entry 1 (web), network "bridge": "IPAddress" must be an IP address, not "172.17.0.999" [docker-json-shape]');
    expect(r.stderr).toContain("warning: snap.json: its docker containers are not used; they are not named [docker-ignored]");
    // The networks still name what they list.
    expect(r.stdout).toContain("from      container web (172.17.0.2) on network bridge (docker0)\n");
  });

  test("a snapshot without Docker names nothing", async () => {
    const r = await runCli(["why", "--host", "snap.json", "--in", "docker0", "tcp 172.17.0.2 -> 172.18.0.2:80"], { "snap.json": snapshot(null) });
    expect(r.stdout).not.toContain("from      ");
    expect(words(r.stdout)).toContain("a container on docker0 cannot reach one on br-net1");
  });
});
