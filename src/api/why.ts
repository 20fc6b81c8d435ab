/**
 * `why` for library users: a trace answered in plain words — reached or not, the step
 * that decided, the rule that would have let the packet through and which of its
 * conditions failed, Docker's trap behind it and a fix. The answer is what
 * `nfwalk why --json` prints; {@link whyText} renders it as the command does.
 */
import type { DockerInventory } from "../docker/inventory.js";
import type { Ingress } from "../engine/pipeline.js";
import type { Assumptions } from "../engine/walk.js";
import type { ConntrackAssumption } from "../engine/conntrack-use.js";
import type { IpsetContents } from "../host/ipset.js";
import type { Host } from "../host/types.js";
import type { Packet } from "../packet/packet.js";
import type { Ruleset } from "../ruleset/types.js";
import { explain } from "../why/explain.js";
import { inferOrigin } from "../why/origin.js";
import type { Why } from "../why/types.js";
import type { Origin } from "./trace.js";

/** How {@link why} traces the packet it explains. */
export interface WhyOptions {
  /** Where the packet comes from; by default a source that is the host's own address is sent by the host, any other arrives where the host routes that source. */
  readonly from?: Origin;
  /** Decides matches nfwalk cannot evaluate, as for {@link trace}. */
  readonly assume?: Assumptions;
  /** The host's ipsets, which decide `-m set`. */
  readonly ipsets?: IpsetContents;
  /** Docker's containers and networks ({@link dockerInventory}), to name them. */
  readonly docker?: DockerInventory;
  /** Connection tracking on although no rule needs it, as for {@link trace}. */
  readonly conntrack?: ConntrackAssumption;
}

/** The answer, or why there is none: the packet's origin was not given and cannot be worked out. */
export type WhyResult = { readonly ok: true; readonly answer: Why } | { readonly ok: false; readonly message: string };

/** Says why the packet gets through or not, and what would change it. */
export function why(ruleset: Ruleset, host: Host, packet: Packet, options: WhyOptions = {}): WhyResult {
  let ingress: Ingress;
  let originInferred: string | undefined;
  if (options.from !== undefined) ingress = "local" in options.from ? { kind: "local" } : { kind: "interface", name: options.from.interface };
  else {
    const origin = inferOrigin(host, packet);
    if ("error" in origin) return { ok: false, message: origin.error };
    ({ ingress } = origin);
    originInferred = origin.how;
  }
  const { assume, ipsets, docker, conntrack } = options;
  return {
    ok: true,
    answer: explain({
      ruleset,
      host,
      packet,
      ingress,
      ...(assume && { assume }),
      ...(conntrack && { conntrack }),
      ...(originInferred && { originInferred }),
      ...(ipsets && { ipsets }),
      ...(docker && { docker }),
    }),
  };
}
