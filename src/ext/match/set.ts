/**
 * `-m set` (libxt_set revision 4, kernel xt_set): membership of the packet's
 * addresses and ports in an ipset. nfwalk loads rules without the ipset
 * definitions, so it cannot check that the set exists (iptables-restore does)
 * and the verdict is unknown: `ipsetQuestion` says what the kernel would
 * look up, for a later `--ipset FILE` to answer. iptables-save prints the set
 * name raw (`%s`): weave's `weave-;rGq…` names come back exactly as written.
 */
import type { MatchExtension, OptionUse, ParseContext } from "../types.js";
import { utf8Length } from "../utf8.js";
import { parseCNumber } from "../values.js";
import { EVERYTHING, minus } from "../../sets/packet-set.js";
import { exactly, whole } from "../set-semantics.js";
import { formatAddress } from "../../packet/format.js";

/** IPSET_MAXNAMELEN 32, with the NUL. */
const MAX_NAME_LENGTH = 31;
/** IPSET_DIM_MAX: at most six src/dst words. */
const MAX_DIMENSIONS = 6;

export type SetDirection = "src" | "dst";
export type CounterOp = "eq" | "ne" | "lt" | "gt";

/** --packets-eq and friends: compare the element's counter; `! --…-eq` means not equal. */
export interface CounterMatch {
  readonly op: CounterOp;
  readonly value: bigint;
}

export interface SetOptions {
  readonly name: string;
  readonly negated: boolean;
  /** Which header address or port each dimension of the set element comes from. */
  readonly directions: readonly SetDirection[];
  readonly returnNomatch: boolean;
  /** `! --update-counters`: leave the element's counters alone. */
  readonly skipCounterUpdate: boolean;
  readonly skipSubcounterUpdate: boolean;
  readonly packets?: CounterMatch;
  readonly bytes?: CounterMatch;
}

const COUNTERS = ["packets", "bytes"] as const;
const COUNTER_OPTIONS = COUNTERS.flatMap((counter) => (["eq", "lt", "gt"] as const).map((op) => ({ counter, op, name: `${counter}-${op}` })));

/** A set name and its src/dst list, as `--match-set` and the SET target's `--add-set` take them. */
export interface SetReference {
  readonly name: string;
  readonly directions: readonly SetDirection[];
}

/** get_set_byname's length check and parse_dirs: comma-separated words that begin with `src` or `dst` (strncmp of three letters). */
export function parseSetReference(ctx: ParseContext, use: OptionUse): SetReference {
  const name = use.args[0]!;
  if (utf8Length(name.text) > MAX_NAME_LENGTH) ctx.fail(name, `set name "${name.text}" is longer than ${MAX_NAME_LENGTH} characters`, "bad-value");
  const token = use.args[1]!;
  if (/^[-!]/.test(token.text)) ctx.fail(token, `${use.at.text} needs a set name and a src/dst list`, "missing-argument");
  const words = token.text.split(",");
  if (words.length > MAX_DIMENSIONS) ctx.fail(token, `at most ${MAX_DIMENSIONS} src/dst words`, "bad-value");
  const directions = words.map((word) => {
    const direction = word.slice(0, 3);
    if (direction !== "src" && direction !== "dst") ctx.fail(token, `"${word}" is neither src nor dst`, "bad-value");
    return direction;
  });
  return { name: name.text, directions };
}

function parseCounter(ctx: ParseContext, use: OptionUse, op: "eq" | "lt" | "gt"): CounterMatch {
  if (use.invert && op !== "eq") ctx.fail(use.at, `${use.at.text} cannot be negated`, "bad-negation");
  const token = use.args[0]!;
  const value = parseCNumber(token.text);
  if (value === undefined || value >= 1n << 64n) ctx.fail(token, `counter value "${token.text}" is not a number from 0 to 2^64-1`, "bad-value");
  return { op: use.invert ? "ne" : op, value };
}

function saveCounter(counter: string, match: CounterMatch | undefined): string {
  if (!match) return "";
  return match.op === "ne" ? ` ! --${counter}-eq ${match.value}` : ` --${counter}-${match.op} ${match.value}`;
}

/**
 * What set_match_v4 asks ip_set_test: is the element built from the packet
 * (each dimension from the source or the destination side, address or port
 * as the set's type says) in the set? With --return-nomatch a `nomatch`
 * element counts as absent, and the --packets/--bytes options then compare
 * the element's counters.
 */
export function ipsetQuestion(o: SetOptions): string {
  const counters = o.packets || o.bytes ? ", and its counters" : "";
  return `${o.negated ? "! " : ""}--match-set ${o.name} ${o.directions.join(",")}: depends on the contents of ipset "${o.name}"${counters}, which nfwalk was not given`;
}

export const set: MatchExtension<SetOptions> = {
  kind: "match",
  name: "set",
  options: [
    { name: "match-set", args: 2, invertible: true },
    { name: "set", args: 2, invertible: true },
    { name: "return-nomatch", args: 0, invertible: true },
    { name: "update-counters", args: 0, invertible: true },
    { name: "update-subcounters", args: 0, invertible: true },
    ...COUNTER_OPTIONS.map(({ name }) => ({ name, args: 1 as const, invertible: true })),
  ],
  parse(uses, ctx) {
    const sets = uses.filter((u) => u.spec.name === "match-set" || u.spec.name === "set");
    if (sets.length > 1) ctx.fail(sets[1]!.at, "--match-set may be given only once", "duplicate-option");
    const use = sets[0] ?? ctx.fail(ctx.at, "-m set needs --match-set NAME src|dst[,…]", "missing-option");
    if (use.spec.name === "set") ctx.warn(use.at, "--set is the deprecated spelling of --match-set", "deprecated-option");
    let options: SetOptions = {
      ...parseSetReference(ctx, use),
      negated: use.invert,
      returnNomatch: false,
      skipCounterUpdate: false,
      skipSubcounterUpdate: false,
    };
    for (const other of uses) {
      const counter = COUNTER_OPTIONS.find((c) => c.name === other.spec.name);
      if (counter) {
        if (options[counter.counter]) ctx.fail(other.at, `only one of --${counter.counter}-eq, -lt and -gt is allowed`, "conflicting-options");
        options = { ...options, [counter.counter]: parseCounter(ctx, other, counter.op) };
      } else if (other.spec.name === "return-nomatch") {
        if (other.invert) ctx.fail(other.at, "--return-nomatch cannot be negated", "bad-negation");
        options = { ...options, returnNomatch: true };
      } else if (other.spec.name === "update-counters") {
        // Without "!" the option states the default.
        options = { ...options, skipCounterUpdate: options.skipCounterUpdate || other.invert };
      } else if (other.spec.name === "update-subcounters") {
        options = { ...options, skipSubcounterUpdate: options.skipSubcounterUpdate || other.invert };
      }
    }
    return options;
  },
  save(o) {
    let text = `${o.negated ? " !" : ""} --match-set ${o.name} ${o.directions.join(",")}`;
    if (o.returnNomatch) text += " --return-nomatch";
    if (o.skipCounterUpdate) text += " ! --update-counters";
    if (o.skipSubcounterUpdate) text += " ! --update-subcounters";
    return text + saveCounter("packets", o.packets) + saveCounter("bytes", o.bytes);
  },
  /** Each test with counter options updates the element's counters (ip_set_update_counter) that the next test compares. */
  unrepeatable: (o) => o.packets !== undefined || o.bytes !== undefined,
  /** The packets whose element the given ipset holds, when its contents are given and of a type the set walk reads. */
  matchSet(o, env) {
    if (o.packets || o.bytes) return whole(set.match!(o, env.concrete));
    const held = env.host.ipsetPackets(o.name, o.directions, o.returnNomatch);
    // One packet's answer says nothing of the others: the set's contents are not known as packets.
    if (held === undefined) return whole({ unknown: `--match-set ${o.name} ${o.directions.join(",")}: reach and diff read only ipsets of IPv4 addresses or networks given with --ipset` });
    return exactly(o.negated ? minus(EVERYTHING, held) : held);
  },
  /** set_match_v4: the element in the set (or a nomatch entry with --return-nomatch), negation applied. */
  match(o, env) {
    const answer = env.host.ipset(o.name, o.directions, env.packet);
    if (answer === undefined) return { unknown: ipsetQuestion(o) };
    if (typeof answer === "object") return answer;
    if (o.packets || o.bytes) return { unknown: `${ipsetQuestion(o)}: the element's counters are not in an ipset save` };
    const hit = answer === "member" || (answer === "nomatch" && o.returnNomatch);
    return hit !== o.negated;
  },
  explain: {
    /** The element the packet gives the set, and whether the given ipset contents hold it. */
    packetHas(o, env) {
      const answer = env.host.ipset(o.name, o.directions, env.packet);
      if (answer === undefined || typeof answer === "object") return undefined;
      const d = o.directions[0];
      const what = o.directions.length === 1 && d ? `its ${d === "src" ? "source" : "destination"} ${formatAddress(d === "src" ? env.packet.src : env.packet.dst)}` : "its element";
      return `${what} is ${answer === "member" ? "in" : "not in"} the set ${o.name}`;
    },
  },
};
