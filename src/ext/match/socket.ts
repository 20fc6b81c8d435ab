/**
 * `-m socket` (libxt_socket revision 3, kernel xt_socket): is there a local
 * socket for the packet (an established one, or a listener unless
 * --nowildcard)? nfwalk does not know the host's sockets.
 */
import type { Hook } from "../../model/types.js";
import type { MatchExtension } from "../types.js";

const FLAGS = ["transparent", "nowildcard", "restore-skmark"] as const;
export type SocketFlag = (typeof FLAGS)[number];

export interface SocketOptions {
  /** Set flags, in the order iptables prints them. */
  readonly flags: readonly SocketFlag[];
}

/** The kernel registers it for PREROUTING and INPUT only. */
const HOOKS: readonly Hook[] = ["PREROUTING", "INPUT"];

export const socket: MatchExtension<SocketOptions> = {
  kind: "match",
  name: "socket",
  defragments: true,
  options: FLAGS.map((name) => ({ name, args: 0 as const })),
  parse: (uses) => ({ flags: FLAGS.filter((flag) => uses.some((u) => u.spec.name === flag)) }),
  hooks: () => HOOKS,
  save: (o) => o.flags.map((flag) => ` --${flag}`).join(""),
  /** socket_mt4_v1_v2_v3 / socket_mt6_v1_v2_v3: a socket lookup on the host. */
  match: (o) => ({ unknown: `-m socket${o.flags.map((f) => ` --${f}`).join("")}: depends on the sockets open on the host` }),
};
