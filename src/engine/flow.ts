/**
 * One possible course of the packet through the host. The engine forks a
 * flow when a match's result is unknown, so each flow is one branch.
 */
import type { ConntrackView, Meta } from "../ext/semantics.js";
import type { Address, Packet } from "../packet/packet.js";
import type { Seen, Step } from "./types.js";

/** The connection as the engine keeps it; its mark, helper and zone live in Meta, where targets change them. */
export type Connection = Omit<ConntrackView, "mark" | "helper" | "zone">;

export interface Flow {
  packet: Packet;
  meta: Meta;
  conntrack: Connection;
  inInterface: string | undefined;
  outInterface: string | undefined;
  physIn: string | undefined;
  physOut: string | undefined;
  /** How the frame that brought the packet was addressed (skb->pkt_type); undefined for locally sent packets. */
  linkType: "unicast" | "broadcast" | "multicast" | undefined;
  // Every field is set from the start (undefined until known): flows of one shape keep the engine's property accesses monomorphic.
  /** Routing sent a locally generated packet to this host (through lo). */
  routedLocally: boolean;
  /** The next hop of the chosen route (the gateway, or the destination itself), for MASQUERADE. */
  nextHop: Address | undefined;
  /** Which sides of the connection NAT has bound (nf_nat_initialized): each is decided once. */
  natDone: { readonly source: boolean; readonly destination: boolean };
  /** Conntrack has given the packet its state (after the first raw table it met). */
  tracked: boolean;
  readonly steps: Step[];
  /** Product of the probabilities of the random choices on this branch. */
  probability: number | undefined;
  /** Header fields NAT set to a port the kernel draws at random. */
  readonly randomPorts: ("sport" | "dport")[];
  /** What the walks saw, when the trace records it (explanations read it); undefined otherwise. */
  readonly seen: Seen[] | undefined;
}

/**
 * The connection as matches see it: the entry with the mark, helper and zone targets set.
 * Built field by field rather than spread: this runs for every table a packet meets.
 */
export function conntrackView(conntrack: Connection, meta: Meta): ConntrackView {
  return {
    // NOTRACK in the raw table attaches the untracked entry at once.
    state: meta.untracked && conntrack.state === "INVALID" ? "UNTRACKED" : conntrack.state,
    reply: conntrack.reply,
    original: conntrack.original,
    replyTuple: conntrack.replyTuple,
    status: conntrack.status,
    mark: meta.connmark,
    helper: meta.helper,
    zone: meta.zone,
  };
}

export function forkFlow(flow: Flow): Flow {
  return { ...flow, steps: [...flow.steps], randomPorts: [...flow.randomPorts], seen: flow.seen && [...flow.seen] };
}
