/** `-j NFQUEUE` (libxt_NFQUEUE revision 3, kernel xt_NFQUEUE): hand the packet to a userspace queue. */
import type { TargetExtension } from "../types.js";
import { parseNumberRange, parseUInt } from "../values.js";

export interface NfqueueOptions {
  /** First queue, and how many queues the packets are spread over. */
  readonly queue: number;
  readonly total: number;
  /** NFQ_FLAG_BYPASS: accept the packet when no program listens. */
  readonly bypass: boolean;
  /** NFQ_FLAG_CPU_FANOUT: choose the queue by CPU, not by flow hash. */
  readonly cpuFanout: boolean;
}

export const NFQUEUE: TargetExtension<NfqueueOptions> = {
  kind: "target",
  name: "NFQUEUE",
  options: [
    { name: "queue-num", args: 1 },
    { name: "queue-balance", args: 1 },
    { name: "queue-bypass", args: 0 },
    { name: "queue-cpu-fanout", args: 0 },
  ],
  parse(uses, ctx) {
    let o: NfqueueOptions = { queue: 0, total: 1, bypass: false, cpuFanout: false };
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const num = given("queue-num");
    const balance = given("queue-balance");
    if (num && balance) ctx.fail(balance.at, "--queue-num and --queue-balance exclude each other", "conflicting-options");
    if (given("queue-cpu-fanout") && !balance) ctx.fail(given("queue-cpu-fanout")!.at, "--queue-cpu-fanout needs --queue-balance", "missing-option");
    if (num) o = { ...o, queue: parseUInt(ctx, num.args[0]!, "--queue-num", 0, 0xffff) };
    if (balance) {
      const arg = balance.args[0]!;
      if (!arg.text.includes(":")) ctx.fail(arg, `bad range "${arg.text}": FIRST:LAST`, "bad-value");
      // iptables 1.8.9 reads both ends up to 65535 (an empty end is 0 or 65535); the 16-bit
      // queue count cannot hold the 65536 queues of 0:65535, which the kernel then refuses.
      const range = parseNumberRange(ctx, arg, "--queue-balance", 0, 0xffff);
      if (range.min >= range.max) ctx.fail(arg, `${range.min} should be less than ${range.max}`, "bad-value");
      if (range.max - range.min + 1 > 0xffff) ctx.fail(arg, `--queue-balance ${range.min}:${range.max} is 65536 queues; the kernel takes at most 65535`, "bad-value");
      o = { ...o, queue: range.min, total: range.max - range.min + 1 };
    }
    return { ...o, bypass: given("queue-bypass") !== undefined, cpuFanout: given("queue-cpu-fanout") !== undefined };
  },
  save(o) {
    let text = o.total > 1 ? ` --queue-balance ${o.queue}:${o.queue + o.total - 1}` : ` --queue-num ${o.queue}`;
    if (o.bypass) text += " --queue-bypass";
    if (o.cpuFanout) text += " --queue-cpu-fanout";
    return text;
  },
  /*
   * nfqueue_tg_v3: NF_QUEUE to one queue (by flow hash or CPU when balanced).
   * A listening program gives the verdict; with none the kernel drops the
   * packet, or with --queue-bypass accepts it for this table (nf_queue
   * returns 1 and nf_hook_slow goes on). nfwalk cannot know whether a
   * program listens.
   */
  apply(o) {
    const queues = o.total > 1 ? `queues ${o.queue}-${o.queue + o.total - 1} (${o.cpuFanout ? "by CPU" : "by flow hash"})` : `queue ${o.queue}`;
    const none = o.bypass ? "accepted as if by ACCEPT (--queue-bypass)" : "dropped";
    return { kind: "queue", description: `NFQUEUE hands the packet to a userspace program on ${queues}, whose verdict nfwalk cannot know; with no program listening it is ${none}` };
  },
};
