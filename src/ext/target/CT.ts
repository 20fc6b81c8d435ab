/**
 * `-j CT` (libxt_CT revision 2, kernel xt_CT): set up the connection
 * tracking of the packet's future connection before conntrack sees it —
 * untracked, a helper, a timeout policy, events, a zone. Raw table only.
 */
import { withMeta } from "../semantics.js";
import type { TargetExtension } from "../types.js";
import { parseCNumber } from "../values.js";
import { truncateUtf8 } from "../utf8.js";

/** Conntrack event names in the order of their bits (IPCT_*), the order iptables-save prints them in. */
const CT_EVENTS = ["new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark"] as const;
const EXPECTATION_EVENTS = ["new"] as const;
export type CtEvent = (typeof CT_EVENTS)[number];

/** `char helper[16]` and `char timeout[32]` in xt_ct_target_info_v1, with the NUL. */
const HELPER_BYTES = 15;
const TIMEOUT_BYTES = 31;

export interface CtZone {
  /** The zone id; with `fromMark`, the zone is taken from the packet mark instead. */
  readonly id: number;
  readonly fromMark: boolean;
  /** Directions the zone applies to (XT_CT_ZONE_DIR_ORIG / _REPL; neither set means both). */
  readonly original: boolean;
  readonly reply: boolean;
}

export interface CtOptions {
  readonly notrack: boolean;
  /** Name of a conntrack helper (ftp, sip, …); empty for none. */
  readonly helper: string;
  /** Name of a timeout policy made with nfct; empty for none. */
  readonly timeout: string;
  readonly events: readonly CtEvent[];
  readonly expectationEvents: readonly "new"[];
  readonly zone: CtZone;
}

const ZONE_OPTIONS: Readonly<Record<string, Pick<CtZone, "original" | "reply">>> = {
  zone: { original: false, reply: false },
  "zone-orig": { original: true, reply: false },
  "zone-reply": { original: false, reply: true },
};

export const CT: TargetExtension<CtOptions> = {
  kind: "target",
  name: "CT",
  // xt_ct_tg_check: --notrack needs no conntrack; any other CT sets up a template for it.
  tracksConnections: (o) => !o.notrack,
  options: ["notrack", "helper", "timeout", "ctevents", "expevents", "zone-orig", "zone-reply", "zone"].map((name) => ({ name, args: name === "notrack" ? 0 : 1 })),
  tables: ["raw"],
  parse(uses, ctx) {
    let o: CtOptions = { notrack: false, helper: "", timeout: "", events: [], expectationEvents: [], zone: { id: 0, fromMark: false, original: false, reply: false } };
    for (const use of uses) {
      const arg = use.args[0];
      const name = use.spec.name;
      const events = <E extends string>(table: readonly E[]): E[] => {
        const words = arg!.text.split(",");
        const unknown = words.find((w) => !(table as readonly string[]).includes(w));
        if (unknown !== undefined) ctx.fail(arg!, `unknown event type "${unknown}"`, "bad-value");
        return table.filter((e) => words.includes(e));
      };
      if (name === "notrack") o = { ...o, notrack: true };
      else if (name === "helper") o = { ...o, helper: truncateUtf8(arg!.text, HELPER_BYTES) };
      else if (name === "timeout") o = { ...o, timeout: truncateUtf8(arg!.text, TIMEOUT_BYTES) };
      else if (name === "ctevents") o = { ...o, events: events(CT_EVENTS) };
      else if (name === "expevents") o = { ...o, expectationEvents: events(EXPECTATION_EVENTS) };
      else {
        // Each zone option sets the id and adds its flags to those of earlier ones (ct_parse_zone_id).
        const fromMark = arg!.text.toLowerCase() === "mark";
        const number = fromMark ? 0n : parseCNumber(arg!.text);
        if (number === undefined || number > 0xffffn) ctx.fail(arg!, `cannot parse "${arg!.text}" as a zone id (0 to 65535 or "mark")`, "bad-value");
        const direction = ZONE_OPTIONS[name]!;
        const zone = o.zone;
        o = { ...o, zone: { id: Number(number), fromMark: zone.fromMark || fromMark, original: zone.original || direction.original, reply: zone.reply || direction.reply } };
      }
    }
    // The kernel looks the helper up by layer-4 protocol; an untracked packet needs none.
    if (o.helper !== "" && !o.notrack && (ctx.protocol === undefined || ctx.protocol.negated)) {
      ctx.fail(ctx.at, "CT --helper needs -p PROTOCOL (not negated)", "missing-protocol");
    }
    return o;
  },
  save(o) {
    let text = o.notrack ? " --notrack" : "";
    if (o.helper !== "") text += ` --helper ${o.helper}`;
    if (o.timeout !== "") text += ` --timeout ${o.timeout}`;
    if (o.events.length > 0) text += ` --ctevents ${o.events.join(",")}`;
    if (o.expectationEvents.length > 0) text += ` --expevents ${o.expectationEvents.join(",")}`;
    const z = o.zone;
    if (z.fromMark || z.id !== 0) {
      const direction = z.original && !z.reply ? "-orig" : z.reply && !z.original ? "-reply" : "";
      text += ` --zone${direction} ${z.fromMark ? "mark" : z.id}`;
    }
    return text;
  },
  /*
   * xt_ct_target: a template on the packet, which nf_conntrack_in turns into
   * the connection's zone, helper, timeout and events; --notrack marks it
   * untracked instead. A packet that already has a connection (one looping
   * back through lo) keeps it.
   */
  apply(o, env) {
    if (env.inInterface === "lo") return { kind: "continue", note: "CT does nothing: the packet brings its connection along through lo" };
    if (o.notrack) return { kind: "continue", update: (meta) => withMeta(meta, { untracked: true }), note: "CT --notrack: connection tracking leaves the packet alone" };
    const z = o.zone;
    // nf_ct_zone_tmpl: a zone from the mark takes its low 16 bits; a reply-only zone leaves the original direction in zone 0.
    const zone = z.original || !z.reply ? (z.fromMark ? env.meta.mark & 0xffff : z.id) : 0;
    const notes = [
      ...(zone !== 0 ? [`zone ${zone}`] : []),
      ...(o.helper !== "" ? [`helper ${o.helper}`] : []),
      ...(o.timeout !== "" ? [`timeout policy ${o.timeout}`] : []),
      ...(o.events.length > 0 || o.expectationEvents.length > 0 ? [`events ${[...o.events, ...o.expectationEvents.map((e) => `expectation ${e}`)].join(",")}`] : []),
    ];
    return {
      kind: "continue",
      update: (meta) => withMeta(meta, { zone, helper: o.helper === "" ? meta.helper : o.helper }),
      note: `CT: the connection is set up with ${notes.length === 0 ? "the defaults" : notes.join(", ")}`,
    };
  },
};
