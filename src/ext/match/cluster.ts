/**
 * `-m cluster` (libxt_cluster, kernel xt_cluster): the node of a cluster that handles a
 * connection, by a hash of its original source address. Validated and printed as
 * iptables-save prints it (always as a node mask); whether a packet matches depends on
 * the cluster's hash, which nfwalk does not model.
 */
import type { MatchExtension } from "../types.js";
import { parseUInt } from "../values.js";

/** XT_CLUSTER_NODES_MAX */
const NODES_MAX = 32;

export interface ClusterOptions {
  readonly totalNodes: number;
  /** Bit n - 1 for node n. */
  readonly nodeMask: number;
  readonly negated: boolean;
  readonly hashSeed: number;
}

export const cluster: MatchExtension<ClusterOptions> = {
  kind: "match",
  name: "cluster",
  unmodelled: true,
  // xt_cluster's checkentry takes conntrack for the namespace (the hash is of the connection's original tuple).
  tracksConnections: () => true,
  options: [
    { name: "cluster-total-nodes", args: 1 },
    { name: "cluster-local-node", args: 1, invertible: true },
    { name: "cluster-local-nodemask", args: 1, invertible: true },
    { name: "cluster-hash-seed", args: 1 },
  ],
  parse(uses, ctx) {
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const total = given("cluster-total-nodes") ?? ctx.fail(ctx.at, "-m cluster needs --cluster-total-nodes", "missing-option");
    const node = given("cluster-local-node");
    const mask = given("cluster-local-nodemask");
    if (node && mask) ctx.fail(mask.at, "--cluster-local-node and --cluster-local-nodemask exclude each other", "conflicting-options");
    const local = node ?? mask ?? ctx.fail(ctx.at, "-m cluster needs --cluster-local-node or --cluster-local-nodemask", "missing-option");
    const seed = given("cluster-hash-seed") ?? ctx.fail(ctx.at, "-m cluster needs --cluster-hash-seed", "missing-option");
    const totalNodes = parseUInt(ctx, total.args[0]!, "--cluster-total-nodes", 1, NODES_MAX);
    // Both take 1 to 32 (libxt_cluster's bounds, odd as they are for a mask).
    const value = parseUInt(ctx, local.args[0]!, `--${local.spec.name}`, 1, NODES_MAX);
    const nodeMask = node ? 2 ** (value - 1) : value;
    if (nodeMask >= 2 ** totalNodes) ctx.fail(local.at, `--${local.spec.name} ${local.args[0]!.text} is beyond --cluster-total-nodes ${totalNodes}`, "bad-value");
    return { totalNodes, nodeMask, negated: local.invert, hashSeed: parseUInt(ctx, seed.args[0]!, "--cluster-hash-seed", 0, 0xffffffff) };
  },
  save: (o) => `${o.negated ? " !" : ""} --cluster-local-nodemask ${hex8(o.nodeMask)} --cluster-total-nodes ${o.totalNodes} --cluster-hash-seed ${hex8(o.hashSeed)}`,
};

/** printf("0x%08x") */
export function hex8(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}
