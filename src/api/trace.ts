/**
 * Tracing for library users: one call from a loaded ruleset, a host and a packet to the
 * trace as plain data (what `nfwalk trace --json` prints), and the renderers that turn
 * such a trace into the command's text.
 */
import type { DockerInventory } from "../docker/inventory.js";
import { dockerText, packetNames } from "../docker/packet-names.js";
import type { Assumptions } from "../engine/walk.js";
import type { Trace } from "../engine/types.js";
import { tracePacket, type ConnectionPacket, type Ingress } from "../engine/pipeline.js";
import type { ConntrackAssumption } from "../engine/conntrack-use.js";
import type { Host } from "../host/types.js";
import type { IpsetContents } from "../host/ipset.js";
import { kubeProxyView, kubeRoutes, kubeText } from "../kube/index.js";
import type { Packet } from "../packet/packet.js";
import type { Ruleset } from "../ruleset/types.js";
import { traceJson, type TraceJson } from "../trace/json.js";
import { traceText } from "../trace/text.js";

/** Where the packet comes from: it arrives on an interface, or a process on the host sends it. */
export type Origin = { readonly interface: string } | { readonly local: true };

/** How {@link trace} walks the packet. */
export interface TraceOptions {
  /** Where the packet comes from. */
  readonly from: Origin;
  /**
   * Decides matches nfwalk cannot evaluate (rate limits, random choices, …); by default
   * every such match is followed both ways. {@link parseAssumptions} reads the command's
   * `--assume` syntax.
   */
  readonly assume?: Assumptions;
  /** Which packet of the connection: its first (default), a later one in the same direction, or a reply. */
  readonly connection?: ConnectionPacket;
  /** Owner of the sending socket, for a locally sent packet (`-m owner`). */
  readonly socket?: { readonly uid: number; readonly gid: number };
  /** The host's ipsets (`ipset save`, read with {@link parseIpsetSave}), which decide `-m set`. */
  readonly ipsets?: IpsetContents;
  /**
   * Connection tracking on although no rule needs it (something else on the host uses it),
   * and who says so; by default it runs exactly when a rule needs it ({@link conntrackUser}).
   */
  readonly conntrack?: ConntrackAssumption;
}

declare const madeByTrace: unique symbol;

/**
 * A trace as `nfwalk trace --json` prints it (`JSON.stringify` of it is the same JSON value),
 * and, for the renderers, known to come from {@link trace}.
 */
export type TraceResult = TraceJson & { readonly [madeByTrace]: true };

// The engine's own trace behind each result, for the text renderer (which names rules by
// their text and packets by their header): plain data outside, the full record inside, under
// a symbol that is not enumerable, so JSON.stringify, spreads and comparisons see only the data.
// A property rather than a WeakMap: a WeakMap's entries kept every trace of a batch alive through
// the young generation's collections (copied, then promoted), though each is printed and dropped.
const ENGINE_TRACE = Symbol("nfwalk engine trace");

type WithEngineTrace = TraceJson & { readonly [ENGINE_TRACE]?: Trace };

const ingressOf = (from: Origin): Ingress => ("local" in from ? { kind: "local" } : { kind: "interface", name: from.interface });

/**
 * Walks one packet through the host the way the kernel does: raw, conntrack, mangle, nat,
 * filter and security at each hook, with routing in between.
 *
 * @param ruleset - the host's rules ({@link parseRuleset}); the packet must be of its family
 * @param host - addresses, routes and sysctls ({@link loadHost}, {@link defaultHost})
 * @param packet - the packet ({@link parsePacketSpec})
 * @returns where the packet ends up, the header after NAT, and every step taken
 */
export function trace(ruleset: Ruleset, host: Host, packet: Packet, options: TraceOptions): TraceResult {
  // Options left out stay undefined, which the engine reads as its defaults (no spreads: a batch calls this per packet).
  const full = tracePacket({
    ruleset,
    host,
    packet,
    ingress: ingressOf(options.from),
    assume: options.assume,
    connection: options.connection,
    socket: options.socket,
    ipsets: options.ipsets,
    conntrack: options.conntrack,
  });
  const result = traceJson(full);
  Object.defineProperty(result, ENGINE_TRACE, { value: full });
  return result as TraceResult;
}

/** What {@link traceTextRenderer} adds to the text. */
export interface TraceTextOptions {
  /** ANSI colours, for a terminal. */
  readonly colour?: boolean;
  /** Docker's containers and networks, to name the ones the packet meets. */
  readonly docker?: DockerInventory;
}

/**
 * A renderer of traces as `nfwalk trace` prints them: one line a step with the rule's text,
 * the outcome in words, kube-proxy's services when the rules are kube-proxy's, and Docker's
 * names when `docker` is given. Made once for a ruleset and host (it reads the rules once).
 */
export function traceTextRenderer(ruleset: Ruleset, host: Host, options: TraceTextOptions = {}): (result: TraceResult) => string {
  const kube = kubeProxyView(ruleset);
  const { docker, colour = false } = options;
  return (result) => {
    const full = (result as WithEngineTrace)[ENGINE_TRACE];
    if (full === undefined) throw new TypeError("traceTextRenderer renders what trace() returned");
    return traceText(full, ruleset, colour) + (kube === undefined ? "" : kubeText(kubeRoutes(full, ruleset, kube))) + (docker === undefined ? "" : dockerText(packetNames(docker, full, host)));
  };
}
