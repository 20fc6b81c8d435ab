/**
 * A prefilter for long chains (kube-proxy's KUBE-SERVICES has a rule per
 * ClusterIP and port, KUBE-NODEPORTS one per node port): rules that can match
 * only one destination are filed under it, so the walk jumps over the rules a
 * packet cannot match instead of trying them one by one.
 *
 * A rule is filed under its plain, non-negated host destination (`-d
 * ADDR/32`, `-d ADDR/128`: the header fails for any other address), else
 * under the single destination port one of its matches requires (`-m tcp
 * --dport 80`: the match is false for any other port, and for a packet
 * without ports). Either way the rule evaluates to false for every packet
 * not filed with it, and a false rule leaves no trace in the kernel's walk
 * (no counter, no step, no fork, no effect), so skipping it gives exactly the
 * steps of the linear walk. Every other rule stays a candidate, in order.
 */
import type { Chain, Rule } from "../ruleset/types.js";
import { hasPorts, type Packet } from "../packet/packet.js";

export interface ChainIndex {
  /** For each position, the first rule at or after it that is not filed (length + 1 entries). */
  readonly nextUnfiled: Int32Array;
  /** Positions of the rules filed by destination address, by address. */
  readonly byAddress: ReadonlyMap<number | bigint, Filed>;
  /** Positions of the rules filed by destination port, by port. */
  readonly byPort: ReadonlyMap<number, Filed>;
}

/** The positions of the rules filed under one key, ascending: a lone position as a number (most keys have one rule: no array for it). */
type Filed = number | number[];

/** Chains with fewer rules that can be filed are walked rule by rule. */
const MIN_FILED = 16;

const indexes = new WeakMap<Chain, ChainIndex | null>();

/** The chain's index, built on first use; null when the chain is walked rule by rule. */
export function chainIndex(chain: Chain): ChainIndex | null {
  if (chain.rules.length < MIN_FILED) return null;
  let index = indexes.get(chain);
  if (index === undefined) {
    index = buildIndex(chain.rules);
    indexes.set(chain, index);
  }
  return index;
}

function buildIndex(rules: readonly Rule[]): ChainIndex | null {
  const byAddress = new Map<number | bigint, Filed>();
  const byPort = new Map<number, Filed>();
  const isFiled = new Uint8Array(rules.length);
  let filed = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const address = addressKey(rule);
    const port = address === undefined ? portKey(rule) : undefined;
    if (address !== undefined) file(byAddress, address, i);
    else if (port !== undefined) file(byPort, port, i);
    else continue;
    isFiled[i] = 1;
    filed++;
  }
  if (filed < MIN_FILED) return null;
  const nextUnfiled = new Int32Array(rules.length + 1);
  nextUnfiled[rules.length] = rules.length;
  for (let i = rules.length - 1; i >= 0; i--) nextUnfiled[i] = isFiled[i] ? nextUnfiled[i + 1]! : i;
  return { nextUnfiled, byAddress, byPort };
}

function file<K>(map: Map<K, Filed>, key: K, position: number): void {
  const filed = map.get(key);
  if (filed === undefined) map.set(key, position);
  else if (typeof filed === "number") map.set(key, [filed, position]);
  else filed.push(position);
}

/** The address of a plain, non-negated `-d ADDR/32` (`/128`): a number for IPv4, a bigint for IPv6. */
function addressKey(rule: Rule): number | bigint | undefined {
  const d = rule.header.destination;
  if (d === undefined || d.negated) return undefined;
  const cidr = d.value;
  if (cidr.family === "ipv4") return cidr.mask >>> 0 === 0xffffffff ? cidr.address >>> 0 : undefined;
  return cidr.mask === ALL_ONES_V6 ? cidr.address : undefined;
}

const ALL_ONES_V6 = (1n << 128n) - 1n;

/** The destination port the first match that requires one requires. */
function portKey(rule: Rule): number | undefined {
  for (const use of rule.matches) {
    const port = use.extension.requiredDestinationPort?.(use.options);
    if (port !== undefined) return port;
  }
  return undefined;
}

/** The first rule at or after `from` that the packet's destination does not rule out (the chain's length when none is left). */
export function nextCandidate(index: ChainIndex, from: number, packet: Packet): number {
  let next = index.nextUnfiled[from]!;
  const dst = packet.dst;
  const byAddress = index.byAddress.get(dst.family === "ipv4" ? dst.value >>> 0 : dst.value);
  if (byAddress !== undefined) next = firstBefore(byAddress, from, next);
  const t = packet.transport;
  const byPort = hasPorts(t) ? index.byPort.get(t.dport) : undefined;
  if (byPort !== undefined) next = firstBefore(byPort, from, next);
  return next;
}

/** The first filed position at or after `from` if it comes before `next`, else `next` (lists can be long: binary search). */
function firstBefore(list: Filed, from: number, next: number): number {
  if (typeof list === "number") return list >= from && list < next ? list : next;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo]! < next ? list[lo]! : next;
}
