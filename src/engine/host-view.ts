/** The host as matches see it: address types and, when given, ipset contents. */
import type { HostView, SetAnswer } from "../ext/semantics.js";
import { addressType, type Host } from "../host/index.js";
import type { Packet } from "../packet/packet.js";
import { ipsetKeyOf, ipsetLookup, type IpsetContents } from "../host/ipset.js";

export function hostView(host: Host, ipsets: IpsetContents | undefined): HostView {
  return {
    addressType: (address, device) => addressType(host, address, device),
    ipset: (name, directions, packet) => (ipsets ? setAnswer(ipsets, name, directions, packet) : undefined),
  };
}

/** -m set's question to the given ipsets: the packet's element, looked up as ip_set_test does. */
function setAnswer(ipsets: IpsetContents, name: string, directions: readonly ("src" | "dst")[], packet: Packet): SetAnswer {
  const set = ipsets.sets.get(name);
  if (!set) return { unknown: `ipset "${name}" is not in the ipset contents nfwalk was given` };
  const key = ipsetKeyOf(set, directions, packet);
  if (!key) return { unknown: `ipset "${name}" (${set.type}) holds elements the packet description does not carry` };
  const answer = ipsetLookup(ipsets, name, key);
  return answer.kind === "unknown" ? { unknown: answer.reason } : answer.kind;
}
