/**
 * Whether a traced packet has the outcome a check expectation names, decided
 * from the trace alone: the judge check's tests hold its answers to.
 */
import { formatAddress, type OutcomeSpec, type TraceResult } from "../../src/index.js";

/** The header the packet ends with (after every NAT rewrite), when it gets anywhere. */
export function endHeader(t: TraceResult) {
  return t.egress?.packet ?? t.delivered?.packet;
}

/** Whether the trace has the outcome the spec names (its `not` aside): outcome, interface, and the header after NAT. */
export function tracedHas(t: TraceResult, s: OutcomeSpec): boolean {
  const takes = { reaches: ["delivered", "forwarded", "sent"], "not-reachable": ["dropped", "rejected"] }[s.outcome as string] ?? [s.outcome];
  if (!takes.includes(t.outcome)) return false;
  if (s.via !== undefined && t.egress?.interface !== s.via) return false;
  const h = endHeader(t);
  if (s.natTo && (h?.dst !== formatAddress(s.natTo.address) || (s.natTo.port !== undefined && h?.dport !== s.natTo.port))) return false;
  if (s.natFrom && (h?.src !== formatAddress(s.natFrom.address) || (s.natFrom.port !== undefined && h?.sport !== s.natFrom.port))) return false;
  return true;
}
