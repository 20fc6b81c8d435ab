#!/usr/bin/env node
// A realistic `nfwalk trace --batch` file for a kube-proxy dump made by
// gen-kube-proxy.js: packets to the services' ClusterIPs and NodePorts (tcp
// and udp, as each service port is declared), sent from outside on eth0
// (from a client or from a pod on another node) or by a local process, and
// some to nothing (an unused ClusterIP or port). Deterministic (seeded).
//
//   node bench/gen-batch.js DUMP [--packets N] [--seed S] [--out FILE]
//
// The node is nfwalk's default host (no --addr/--route): eth0 is 10.0.0.1/24.

import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const NODE_IP = "10.0.0.1";

/** @param {number} seed @returns {() => number} uniform in [0, 1) (mulberry32) */
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param {string} dump the iptables-save text
 * @param {{packets?: number, seed?: number}} [opts]
 * @returns {{text: string, packets: number, clusterIPs: number, nodePorts: number}}
 */
export function generateBatch(dump, opts = {}) {
  const count = opts.packets ?? 2000;
  const rng = makeRng(opts.seed ?? 1);
  const pick = (/** @type {any[]} */ a) => a[Math.floor(rng() * a.length)];
  /** @type {{ip: string, proto: string, port: number}[]} */
  const cluster = [];
  /** @type {{proto: string, port: number}[]} */
  const nodePorts = [];
  const svcRe = /^-A KUBE-SERVICES -d (\d+\.\d+\.\d+\.\d+)\/32 -p (tcp|udp) .*--dport (\d+) /;
  const npRe = /^-A KUBE-NODEPORTS -p (tcp|udp) .*--dport (\d+) -j KUBE-EXT-/;
  for (const line of dump.split("\n")) {
    if (!line.startsWith("-A KUBE-")) continue;
    let m = svcRe.exec(line);
    if (m) {
      cluster.push({ ip: m[1], proto: m[2], port: Number(m[3]) });
      continue;
    }
    m = npRe.exec(line);
    if (m) nodePorts.push({ proto: m[1], port: Number(m[2]) });
  }
  if (cluster.length === 0) throw new Error("no KUBE-SERVICES ClusterIP rules in the dump");
  const octet = () => 1 + Math.floor(rng() * 254);
  const sport = () => 32768 + Math.floor(rng() * 28000);
  const client = () => `203.0.113.${octet()}`;
  const pod = () => `10.244.${Math.floor(rng() * 256)}.${octet()}`;
  const lines = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    /** @type {{packet: string, in?: string, local?: boolean}} */
    let p;
    if (r < 0.35) {
      // ClusterIP from a pod on another node, routed in on eth0
      const s = pick(cluster);
      p = { packet: `${s.proto} ${pod()}:${sport()} -> ${s.ip}:${s.port}`, in: "eth0" };
    } else if (r < 0.55) {
      // ClusterIP from a process on the node
      const s = pick(cluster);
      p = { packet: `${s.proto} ${NODE_IP}:${sport()} -> ${s.ip}:${s.port}`, local: true };
    } else if (r < 0.75 && nodePorts.length > 0) {
      // NodePort from a client outside
      const n = pick(nodePorts);
      p = { packet: `${n.proto} ${client()}:${sport()} -> ${NODE_IP}:${n.port}`, in: "eth0" };
    } else if (r < 0.85 && nodePorts.length > 0) {
      // NodePort from the node itself
      const n = pick(nodePorts);
      p = { packet: `${n.proto} ${NODE_IP}:${sport()} -> ${NODE_IP}:${n.port}`, local: true };
    } else if (r < 0.92) {
      // an unused ClusterIP
      p = { packet: `tcp ${pod()}:${sport()} -> 10.111.${octet()}.${octet()}:${1 + Math.floor(rng() * 1023)}`, in: "eth0" };
    } else {
      // a node port nothing listens on, or a service IP on the wrong port
      const s = pick(cluster);
      p =
        rng() < 0.5
          ? { packet: `tcp ${client()}:${sport()} -> ${NODE_IP}:${29000 + Math.floor(rng() * 700)}`, in: "eth0" }
          : { packet: `udp ${NODE_IP}:${sport()} -> ${s.ip}:${(s.port % 60000) + 1}`, local: true };
    }
    lines.push(JSON.stringify(p));
  }
  return { text: lines.join("\n") + "\n", packets: count, clusterIPs: cluster.length, nodePorts: nodePorts.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const dumpPath = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1]?.startsWith("--")));
  const opt = (/** @type {string} */ name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!dumpPath) {
    console.error("usage: gen-batch.js DUMP [--packets N] [--seed S] [--out FILE]");
    process.exit(2);
  }
  const g = generateBatch(readFileSync(dumpPath, "utf8"), { packets: Number(opt("packets") ?? 2000), seed: Number(opt("seed") ?? 1) });
  const out = opt("out");
  if (out && out !== "-") writeFileSync(out, g.text);
  else process.stdout.write(g.text);
  console.error(`gen-batch: ${g.packets} packets (${g.clusterIPs} ClusterIP rules, ${g.nodePorts} node ports seen)`);
}
