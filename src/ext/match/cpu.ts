/** `-m cpu --cpu N` (iptables libxt_cpu, kernel xt_cpu): the packet is processed on CPU N. */
import type { MatchExtension } from "../types.js";
import { parseUInt } from "../values.js";

export interface CpuOptions {
  readonly cpu: number;
  readonly negated: boolean;
}

export const cpu: MatchExtension<CpuOptions> = {
  kind: "match",
  name: "cpu",
  options: [{ name: "cpu", args: 1, invertible: true }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m cpu needs --cpu", "missing-option");
    return { cpu: parseUInt(ctx, use.args[0]!, "CPU", 0, 0xffffffff), negated: use.invert };
  },
  save: (o) => `${o.negated ? " !" : ""} --cpu ${o.cpu}`,
  /** cpu_mt compares smp_processor_id(): which CPU handles a packet depends on the NIC's queues, RPS and the sending process. */
  match: () => ({ unknown: "-m cpu depends on which CPU processes the packet (NIC queues, RPS, the sending process), which nfwalk cannot know" }),
};
