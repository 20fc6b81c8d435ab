#!/usr/bin/env node
// Deterministic generator of a realistic kube-proxy (iptables mode, k8s >= 1.26
// layout, as written by a 1.28-era kube-proxy + kubelet on a flannel node)
// `iptables-save` dump.
//
// The output is canonical: it is byte-for-byte what `iptables-save` (1.8.9,
// nf_tables) prints after `iptables-restore` of it, except for the `#` lines
// (which carry a fixed date here so the output is reproducible).
//
//   node bench/gen-kube-proxy.js [--services N] [--endpoints M] [--seed S] [--out FILE]
//
// --services N   number of service *ports* (each gets a KUBE-SVC chain); default 20000
// --endpoints M  endpoints per service port; default 2. About 0.5% of service
//                ports get no endpoints (rendered as REJECT rules in *filter,
//                as kube-proxy does).
// --seed S       PRNG seed (default 1); same arguments => same bytes
// --out FILE     output file, `-` or absent for stdout
//
// Layout notes (what kube-proxy does and iptables-save prints):
// - tables in iptables-save (nf_tables) order: mangle, filter, nat;
// - built-in chains first, then user chains sorted by strcmp; rules are printed
//   chain by chain in that same order;
// - chain names are kube-proxy's: "KUBE-SVC-" + base32(sha256(svcPortName + proto))[:16],
//   "KUBE-SEP-" + base32(sha256(svcPortName + proto + "ip:port"))[:16];
//   KUBE-EXT-/KUBE-SVL- share the KUBE-SVC- hash;
// - matches in the order iptables-save prints them: -s/-d/-i/-o/-p first, then
//   the -m matches in the order kube-proxy added them (comment first);
// - `--probability` as xt_statistic prints it (%.11f of the kernel's u32).

import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * @typedef {object} GenOptions
 * @property {number} [services]  number of service ports (default 20000)
 * @property {number} [endpoints] endpoints per service port (default 2)
 * @property {number} [seed]      PRNG seed (default 1)
 */

/**
 * @typedef {object} GenResult
 * @property {string} text   the dump
 * @property {number} rules  number of `-A` lines
 * @property {number} chains number of user-defined chains (all tables)
 * @property {number} servicePorts
 * @property {number} endpoints number of KUBE-SEP chains
 */

const CLUSTER_CIDR = "10.244.0.0/16";
const MASQ_MARK = "0x4000/0x4000";
const STICKY_SECONDS = 10800;
const HEADER_DATE = "Thu Jan  1 00:00:00 2026";

// ---------------------------------------------------------------------------
// PRNG: sfc32, seeded through splitmix32 so that small seeds are well mixed.

/** @param {number} seed @returns {() => number} uniform float in [0, 1) */
function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------
// kube-proxy naming

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * First 16 characters of base32.StdEncoding(sha256(s)), as kube-proxy does.
 * @param {string} s
 */
function hash16(s) {
  const h = createHash("sha256").update(s).digest();
  let out = "";
  let bits = 0,
    acc = 0,
    i = 0;
  while (out.length < 16) {
    acc = (acc << 8) | /** @type {number} */ (h[i++]);
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      bits -= 5;
      out += B32[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * `--probability` as iptables-save prints it: kube-proxy passes
 * fmt.Sprintf("%0.10f", 1/n); libxt_statistic stores lround(2^31 * p) and
 * prints it back with %.11f.
 * @param {number} n remaining endpoints
 */
function probability(n) {
  const given = Number((1 / n).toFixed(10));
  const u32 = Math.round(given * 0x80000000);
  return (u32 / 0x80000000).toFixed(11);
}

// ---------------------------------------------------------------------------
// Vocabulary for namespaces and service names

const NS_WORDS = [
  "payments",
  "checkout",
  "catalog",
  "search",
  "billing",
  "identity",
  "auth",
  "ledger",
  "orders",
  "inventory",
  "shipping",
  "notify",
  "analytics",
  "ml",
  "recs",
  "media",
  "cdn",
  "edge",
  "gateway",
  "platform",
  "infra",
  "observability",
  "logging",
  "data",
  "etl",
  "warehouse",
  "reporting",
  "fraud",
  "risk",
  "support",
  "crm",
  "marketing",
];
const NS_SUFFIX = ["prod", "staging", "dev", "qa", "canary", "eu", "us", "apac"];
const SVC_WORDS = [
  "api",
  "web",
  "frontend",
  "backend",
  "worker",
  "cache",
  "redis",
  "postgres",
  "mysql",
  "mongo",
  "kafka",
  "zookeeper",
  "elastic",
  "grafana",
  "prometheus",
  "alertmanager",
  "nginx",
  "envoy",
  "proxy",
  "router",
  "scheduler",
  "queue",
  "rabbitmq",
  "memcached",
  "graphql",
  "grpc",
  "session",
  "token",
  "profile",
  "image",
  "thumbnail",
  "upload",
  "export",
  "import",
  "sync",
  "indexer",
  "crawler",
  "mailer",
  "sms",
  "push",
];
const SVC_ROLE = ["", "-svc", "-headless", "-internal", "-public", "-v2", "-primary", "-replica"];

/** Named ports: [name, port, targetPort, proto]. */
const NAMED_PORTS = /** @type {const} */ ([
  ["http", 80, 8080, "tcp"],
  ["https", 443, 8443, "tcp"],
  ["grpc", 9090, 9090, "tcp"],
  ["metrics", 9100, 9100, "tcp"],
  ["admin", 8081, 8081, "tcp"],
  ["health", 8086, 8086, "tcp"],
  ["tcp-redis", 6379, 6379, "tcp"],
  ["tcp-postgres", 5432, 5432, "tcp"],
  ["http-web", 8080, 3000, "tcp"],
  ["udp-statsd", 8125, 8125, "udp"],
  ["syslog", 514, 5514, "udp"],
  ["dns", 53, 5353, "udp"],
  ["dns-tcp", 53, 5353, "tcp"],
  ["amqp", 5672, 5672, "tcp"],
  ["kafka", 9092, 9092, "tcp"],
  ["mongo", 27017, 27017, "tcp"],
]);
const UNNAMED_PORTS = [80, 443, 8080, 8443, 3000, 5000, 6379, 5432, 9000, 9200, 27017, 11211];

// ---------------------------------------------------------------------------

/**
 * @typedef {object} Endpoint
 * @property {string} ip
 * @property {number} port
 * @property {string} str   "ip:port"
 * @property {string} chain KUBE-SEP-…
 * @property {boolean} local on this node (10.244.0.0/24)
 */

/**
 * @typedef {object} SvcPort
 * @property {string} name       "ns/svc" or "ns/svc:port"
 * @property {string} proto      tcp | udp
 * @property {string} clusterIP
 * @property {number} port
 * @property {number} nodePort   0 if none
 * @property {string} lbIP       '' if none
 * @property {boolean} etpLocal  externalTrafficPolicy: Local
 * @property {number} hcNodePort health check node port (etpLocal only)
 * @property {boolean} affinity  sessionAffinity: ClientIP
 * @property {Endpoint[]} eps
 * @property {string} hash
 */

class Table {
  /** @param {string} name @param {string[]} builtins */
  constructor(name, builtins) {
    this.name = name;
    this.builtins = builtins;
    /** @type {Map<string, string[]>} */
    this.chains = new Map();
    for (const b of builtins) this.chains.set(b, []);
  }
  /** @param {string} chain */
  declare(chain) {
    if (!this.chains.has(chain)) this.chains.set(chain, []);
  }
  /** @param {string} chain @param {string} rest rule text after "-A CHAIN " */
  add(chain, rest) {
    let rules = this.chains.get(chain);
    if (!rules) {
      rules = [];
      this.chains.set(chain, rules);
    }
    rules.push(`-A ${chain} ${rest}`);
  }
  /** @returns {{lines: string[], rules: number, userChains: number}} */
  render() {
    const user = [...this.chains.keys()].filter((c) => !this.builtins.includes(c));
    user.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // strcmp order
    const order = [...this.builtins, ...user];
    const lines = [`# Generated by iptables-save v1.8.9 (nf_tables) on ${HEADER_DATE}`, `*${this.name}`];
    for (const b of this.builtins) lines.push(`:${b} ACCEPT [0:0]`);
    for (const c of user) lines.push(`:${c} - [0:0]`);
    let rules = 0;
    for (const c of order) {
      const rs = /** @type {string[]} */ (this.chains.get(c));
      rules += rs.length;
      for (const r of rs) lines.push(r);
    }
    lines.push("COMMIT", `# Completed on ${HEADER_DATE}`);
    return { lines, rules, userChains: user.length };
  }
}

/**
 * Build the service population.
 * @param {number} nPorts @param {number} nEndpoints @param {() => number} rnd
 * @returns {SvcPort[]}
 */
function buildServices(nPorts, nEndpoints, rnd) {
  const pick = (/** @type {readonly any[]} */ a) => a[Math.floor(rnd() * a.length)];
  const int = (/** @type {number} */ lo, /** @type {number} */ hi) => lo + Math.floor(rnd() * (hi - lo + 1));

  const usedClusterIPs = new Set(["10.96.0.1", "10.96.0.10"]);
  const clusterIP = () => {
    for (;;) {
      // 10.96.0.0/12
      const n = int(2, (1 << 20) - 2);
      const ip = `10.${96 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}`;
      if ((n & 255) !== 0 && (n & 255) !== 255 && !usedClusterIPs.has(ip)) {
        usedClusterIPs.add(ip);
        return ip;
      }
    }
  };
  const usedNodePorts = new Set();
  let nodePortsLeft = 32767 - 30000 + 1;
  const nodePort = () => {
    if (nodePortsLeft <= 0) return 0;
    for (;;) {
      const p = int(30000, 32767);
      if (!usedNodePorts.has(p)) {
        usedNodePorts.add(p);
        nodePortsLeft--;
        return p;
      }
    }
  };
  let lbCounter = 0;
  const lbIP = () => {
    lbCounter++;
    return `172.18.${(lbCounter >>> 8) & 255}.${lbCounter & 255 || 1}`;
  };

  /** @param {number} count @param {boolean} wantLocal @returns {string[]} pod IPs */
  const podIPs = (count, wantLocal) => {
    const set = new Set();
    if (wantLocal && count > 0) set.add(`10.244.0.${int(2, 254)}`);
    while (set.size < count) set.add(`10.244.${int(0, 255)}.${int(2, 254)}`);
    return [...set];
  };

  /** @type {SvcPort[]} */
  const out = [];
  /**
   * @param {string} name @param {string} proto @param {string} cip @param {number} port
   * @param {string[]} ips @param {number} targetPort @param {Partial<SvcPort>} [extra]
   */
  const push = (name, proto, cip, port, ips, targetPort, extra = {}) => {
    const eps = ips.map((ip) => {
      const str = `${ip}:${targetPort}`;
      return { ip, port: targetPort, str, chain: `KUBE-SEP-${hash16(name + proto + str)}`, local: ip.startsWith("10.244.0.") };
    });
    eps.sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
    out.push({
      name,
      proto,
      clusterIP: cip,
      port,
      nodePort: 0,
      lbIP: "",
      etpLocal: false,
      hcNodePort: 0,
      affinity: false,
      eps,
      hash: hash16(name + proto),
      ...extra,
    });
  };

  // The services every cluster has.
  const apiServers = Array.from({ length: Math.max(1, Math.min(nEndpoints, 5)) }, (_, i) => `192.168.0.${10 + i}`);
  push("default/kubernetes:https", "tcp", "10.96.0.1", 443, apiServers, 6443);
  const dnsPods = podIPs(nEndpoints, false);
  push("kube-system/kube-dns:dns", "udp", "10.96.0.10", 53, dnsPods, 53);
  push("kube-system/kube-dns:dns-tcp", "tcp", "10.96.0.10", 53, dnsPods, 53);
  push("kube-system/kube-dns:metrics", "tcp", "10.96.0.10", 9153, dnsPods, 9153);

  // ~1 namespace per 100 service ports: "billing", "billing-prod", then "billing-prod-2", …
  const nsCount = Math.max(4, Math.ceil(nPorts / 100));
  const usedNs = new Set();
  /** @type {string[]} */
  const namespaces = [];
  while (namespaces.length < nsCount) {
    let ns = rnd() < 0.6 ? pick(NS_WORDS) : `${pick(NS_WORDS)}-${pick(NS_SUFFIX)}`;
    for (let k = 2; usedNs.has(ns); k++) ns = `${ns.replace(/-\d+$/, "")}-${k}`;
    usedNs.add(ns);
    namespaces.push(ns);
  }
  const usedNames = new Set();

  while (out.length < nPorts) {
    const ns = pick(namespaces);
    const shape = rnd();
    const svc = shape < 0.6 ? pick(SVC_WORDS) : shape < 0.85 ? `${pick(SVC_WORDS)}${pick(SVC_ROLE)}` : `${pick(SVC_WORDS)}-${pick(SVC_WORDS)}`;
    let full = `${ns}/${svc}`;
    for (let k = 2; usedNames.has(full); k++) full = `${ns}/${svc}-${k}`;
    usedNames.add(full);

    const r = rnd();
    const nports = Math.min(nPorts - out.length, r < 0.7 ? 1 : r < 0.9 ? 2 : 3);
    const t = rnd();
    const type = t < 0.025 ? "LoadBalancer" : t < 0.09 ? "NodePort" : "ClusterIP";
    const etpLocal = type === "LoadBalancer" && rnd() < 0.3;
    const affinity = rnd() < 0.02;
    const noEndpoints = rnd() < 0.005;
    const cip = clusterIP();
    const lb = type === "LoadBalancer" ? lbIP() : "";
    const hc = etpLocal ? nodePort() : 0;
    const ips = noEndpoints ? [] : podIPs(nEndpoints, etpLocal && rnd() < 0.5);

    /** @type {Array<readonly [string, number, number, string]>} */
    let ports;
    if (nports === 1 && rnd() < 0.6) {
      const p = pick(UNNAMED_PORTS);
      ports = [["", p, rnd() < 0.5 ? p : int(1024, 32767), "tcp"]];
    } else {
      const seen = new Set();
      ports = [];
      while (ports.length < nports) {
        const np = pick(NAMED_PORTS);
        if (seen.has(np[0])) continue;
        seen.add(np[0]);
        ports.push(np);
      }
    }
    for (const [pname, port, target, proto] of ports) {
      const np = type === "ClusterIP" ? 0 : nodePort();
      push(pname ? `${full}:${pname}` : full, proto, cip, port, ips, target, {
        nodePort: np,
        lbIP: np ? lb : "",
        etpLocal: np ? etpLocal : false,
        hcNodePort: np ? hc : 0,
        affinity,
      });
    }
  }

  // kube-proxy walks its service map in Go map order: shuffle (Fisher-Yates).
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [/** @type {SvcPort} */ (out[j]), /** @type {SvcPort} */ (out[i])];
  }
  return out;
}

/**
 * Generate the dump.
 * @param {GenOptions} [opts]
 * @returns {GenResult}
 */
export function generate(opts = {}) {
  const nPorts = opts.services ?? 20000;
  const nEndpoints = opts.endpoints ?? 2;
  const rnd = makeRng(opts.seed ?? 1);
  const svcs = buildServices(nPorts, nEndpoints, rnd);

  const mangle = new Table("mangle", ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);
  const filter = new Table("filter", ["INPUT", "FORWARD", "OUTPUT"]);
  const nat = new Table("nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]);

  for (const t of [mangle, filter, nat]) {
    t.declare("KUBE-KUBELET-CANARY");
    t.declare("KUBE-PROXY-CANARY");
  }
  mangle.declare("KUBE-IPTABLES-HINT");

  // --- *filter: kube-proxy, kubelet (KUBE-FIREWALL) and flannel
  for (const c of ["KUBE-EXTERNAL-SERVICES", "KUBE-FIREWALL", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL", "KUBE-SERVICES", "FLANNEL-FWD"]) filter.declare(c);
  const ctNew = "-m conntrack --ctstate NEW -m comment --comment";
  filter.add("INPUT", `${ctNew} "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`);
  filter.add("INPUT", '-m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS');
  filter.add("INPUT", `${ctNew} "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES`);
  filter.add("INPUT", "-j KUBE-FIREWALL");
  filter.add("FORWARD", `${ctNew} "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`);
  filter.add("FORWARD", '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD');
  filter.add("FORWARD", `${ctNew} "kubernetes service portals" -j KUBE-SERVICES`);
  filter.add("FORWARD", `${ctNew} "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES`);
  filter.add("FORWARD", '-m comment --comment "flanneld forward" -j FLANNEL-FWD');
  filter.add("OUTPUT", `${ctNew} "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`);
  filter.add("OUTPUT", `${ctNew} "kubernetes service portals" -j KUBE-SERVICES`);
  filter.add("OUTPUT", "-j KUBE-FIREWALL");
  filter.add("FLANNEL-FWD", `-s ${CLUSTER_CIDR} -m comment --comment "flanneld forward" -j ACCEPT`);
  filter.add("FLANNEL-FWD", `-d ${CLUSTER_CIDR} -m comment --comment "flanneld forward" -j ACCEPT`);
  filter.add("KUBE-FIREWALL", '! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  filter.add("KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP");
  filter.add("KUBE-FORWARD", `-m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK} -j ACCEPT`);
  filter.add("KUBE-FORWARD", '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');

  // --- *nat: fixed part
  for (const c of ["KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-SERVICES", "FLANNEL-POSTRTG"]) nat.declare(c);
  nat.add("PREROUTING", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat.add("OUTPUT", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat.add("POSTROUTING", '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  nat.add("POSTROUTING", '-m comment --comment "flanneld masq" -j FLANNEL-POSTRTG');
  nat.add("FLANNEL-POSTRTG", `-m mark --mark ${MASQ_MARK} -m comment --comment "flanneld masq" -j RETURN`);
  nat.add("FLANNEL-POSTRTG", `-s ${CLUSTER_CIDR} -d ${CLUSTER_CIDR} -m comment --comment "flanneld masq" -j RETURN`);
  nat.add("FLANNEL-POSTRTG", `-s ${CLUSTER_CIDR} ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`);
  nat.add("FLANNEL-POSTRTG", `! -s ${CLUSTER_CIDR} -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN`);
  nat.add("FLANNEL-POSTRTG", `! -s ${CLUSTER_CIDR} -d ${CLUSTER_CIDR} -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`);
  nat.add("KUBE-MARK-MASQ", `-j MARK --set-xmark ${MASQ_MARK}`);
  nat.add("KUBE-POSTROUTING", `-m mark ! --mark ${MASQ_MARK} -j RETURN`);
  nat.add("KUBE-POSTROUTING", "-j MARK --set-xmark 0x4000/0x0");
  nat.add("KUBE-POSTROUTING", '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');

  // --- per service port
  let sepChains = 0;
  for (const s of svcs) {
    const { name, proto } = s;
    const dport = `-m ${proto} --dport`;
    const svcChain = `KUBE-SVC-${s.hash}`;
    const extChain = `KUBE-EXT-${s.hash}`;
    const svlChain = `KUBE-SVL-${s.hash}`;

    if (s.eps.length === 0) {
      // No endpoints: REJECT in *filter, nothing in *nat.
      const c = `-m comment --comment "${name} has no endpoints"`;
      const rej = "-j REJECT --reject-with icmp-port-unreachable";
      filter.add("KUBE-SERVICES", `-d ${s.clusterIP}/32 -p ${proto} ${c} ${dport} ${s.port} ${rej}`);
      if (s.lbIP) filter.add("KUBE-EXTERNAL-SERVICES", `-d ${s.lbIP}/32 -p ${proto} ${c} ${dport} ${s.port} ${rej}`);
      if (s.nodePort) filter.add("KUBE-EXTERNAL-SERVICES", `-p ${proto} ${c} -m addrtype --dst-type LOCAL ${dport} ${s.nodePort} ${rej}`);
      continue;
    }

    const external = s.nodePort !== 0;
    const cipMatch = `-d ${s.clusterIP}/32 -p ${proto} -m comment --comment "${name} cluster IP" ${dport} ${s.port}`;
    nat.add("KUBE-SERVICES", `${cipMatch} -j ${svcChain}`);
    if (s.lbIP) nat.add("KUBE-SERVICES", `-d ${s.lbIP}/32 -p ${proto} -m comment --comment "${name} loadbalancer IP" ${dport} ${s.port} -j ${extChain}`);
    if (external) nat.add("KUBE-NODEPORTS", `-p ${proto} -m comment --comment "${name}" ${dport} ${s.nodePort} -j ${extChain}`);

    // KUBE-SVC: masquerade off-cluster sources, then pick an endpoint.
    nat.declare(svcChain);
    nat.add(svcChain, `! -s ${CLUSTER_CIDR} ${cipMatch} -j KUBE-MARK-MASQ`);
    /** @param {string} chain @param {Endpoint[]} eps */
    const balance = (chain, eps) => {
      if (s.affinity) {
        for (const ep of eps) {
          nat.add(chain, `-m comment --comment "${name} -> ${ep.str}" -m recent --rcheck --seconds ${STICKY_SECONDS} --reap --name ${ep.chain} --mask 255.255.255.255 --rsource -j ${ep.chain}`);
        }
      }
      eps.forEach((ep, i) => {
        const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length - i)}` : "";
        nat.add(chain, `-m comment --comment "${name} -> ${ep.str}"${stat} -j ${ep.chain}`);
      });
    };
    balance(svcChain, s.eps);

    // KUBE-EXT (+ KUBE-SVL for externalTrafficPolicy: Local)
    if (external) {
      nat.declare(extChain);
      if (!s.etpLocal) {
        nat.add(extChain, `-m comment --comment "masquerade traffic for ${name} external destinations" -j KUBE-MARK-MASQ`);
        nat.add(extChain, `-j ${svcChain}`);
      } else {
        nat.declare(svlChain);
        nat.add(extChain, `-s ${CLUSTER_CIDR} -m comment --comment "pod traffic for ${name} external destinations" -j ${svcChain}`);
        nat.add(extChain, `-m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
        nat.add(extChain, `-m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${svcChain}`);
        const local = s.eps.filter((e) => e.local);
        if (local.length) {
          nat.add(extChain, `-j ${svlChain}`);
          balance(svlChain, local);
        } else {
          const c = `-m comment --comment "${name} has no local endpoints"`;
          if (s.lbIP) filter.add("KUBE-EXTERNAL-SERVICES", `-d ${s.lbIP}/32 -p ${proto} ${c} ${dport} ${s.port} -j DROP`);
          filter.add("KUBE-EXTERNAL-SERVICES", `-p ${proto} ${c} -m addrtype --dst-type LOCAL ${dport} ${s.nodePort} -j DROP`);
        }
        if (s.hcNodePort) filter.add("KUBE-NODEPORTS", `-p tcp -m comment --comment "${name} health check node port" -m tcp --dport ${s.hcNodePort} -j ACCEPT`);
      }
    }

    // KUBE-SEP: hairpin masquerade, then DNAT.
    for (const ep of s.eps) {
      nat.declare(ep.chain);
      sepChains++;
      nat.add(ep.chain, `-s ${ep.ip}/32 -m comment --comment "${name}" -j KUBE-MARK-MASQ`);
      const recent = s.affinity ? ` -m recent --set --name ${ep.chain} --mask 255.255.255.255 --rsource` : "";
      nat.add(ep.chain, `-p ${proto} -m comment --comment "${name}"${recent} -m ${proto} -j DNAT --to-destination ${ep.str}`);
    }
  }
  nat.add("KUBE-SERVICES", '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');

  let rules = 0,
    chains = 0;
  /** @type {string[]} */
  const parts = [];
  for (const t of [mangle, filter, nat]) {
    const r = t.render();
    rules += r.rules;
    chains += r.userChains;
    parts.push(r.lines.join("\n"));
  }
  return { text: parts.join("\n") + "\n", rules, chains, servicePorts: svcs.length, endpoints: sepChains };
}

// ---------------------------------------------------------------------------
// CLI

/** @param {string[]} argv @returns {{services: number, endpoints: number, seed: number, out: string}} */
function parseArgs(argv) {
  const o = { services: 20000, endpoints: 2, seed: 1, out: "-" };
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    const m = /^--(services|endpoints|seed|out)(?:=(.*))?$/.exec(a);
    if (!m) {
      if (a === "-h" || a === "--help") {
        process.stdout.write("usage: gen-kube-proxy.js [--services N] [--endpoints M] [--seed S] [--out FILE]\n");
        process.exit(0);
      }
      throw new Error(`unknown argument: ${a}`);
    }
    const key = /** @type {'services'|'endpoints'|'seed'|'out'} */ (m[1]);
    const val = m[2] ?? argv[++i];
    if (val === undefined) throw new Error(`--${key} needs a value`);
    if (key === "out") o.out = val;
    else {
      const n = Number(val);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${key}: not a non-negative integer: ${val}`);
      o[key] = n;
    }
  }
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const r = generate(args);
    if (args.out === "-") {
      process.stdout.on("error", (e) => {
        if (/** @type {any} */ (e).code === "EPIPE") process.exit(0);
        throw e;
      });
      process.stdout.write(r.text);
    } else writeFileSync(args.out, r.text);
    process.stderr.write(
      `gen-kube-proxy: ${r.servicePorts} service ports, ${r.endpoints} endpoint chains, ` +
        `${r.rules} rules, ${r.chains} user chains, ${(Buffer.byteLength(r.text) / 1e6).toFixed(1)} MB` +
        (args.out === "-" ? "\n" : ` -> ${args.out}\n`),
    );
  } catch (e) {
    process.stderr.write(`gen-kube-proxy: ${/** @type {Error} */ (e).message}\n`);
    process.exit(2);
  }
}
