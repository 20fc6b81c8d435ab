/**
 * A trace as one line of JSON: the text `JSON.stringify` gives of it, with every non-ASCII
 * character escaped (`→` as `\u2192`): the same JSON value, in a string V8 keeps one byte a
 * character, which it writes out several times faster than one with a single wider character
 * (a batch prints megabytes).
 *
 * Written here field by field rather than by `JSON.stringify`, which costs most of a
 * microsecond a call before it writes anything: the engine shares a rule's or a policy's step
 * between the traces that take it (engine/walk.ts), so the text of each is made once and
 * kept, and the other parts, which are small, are written directly. Every writer writes the
 * keys in the order the trace's objects have them (test/trace/json-line.test.ts compares
 * the line with `JSON.stringify`), leaving out those whose value is undefined, as it does.
 * Words of the contract's fixed vocabulary (hooks, tables, step types, outcomes, NAT kinds,
 * routing decisions: types that allow nothing else) are quoted as they are: none needs an escape.
 */
import type { ConntrackStep, EffectStep, NatStep, NoteStep, PolicyStep, RouteStep, RuleStep, Step, UnknownStep } from "../engine/types.js";
import type { BranchJson, PacketJson, TraceJson } from "./json.js";

/**
 * Compiles only when `Written` names every key of `T`: a key added to a trace's type must be
 * written here too (the writers take their parts through it).
 */
type Written<T, Keys extends keyof T> = [Exclude<keyof T, Keys>] extends [never] ? T : never;

/** The text of each rule and policy step met so far (weak: it goes with the ruleset's steps). */
const sharedSteps = new WeakMap<Step, string>();

/** The trace's JSON on one line (no line end), all ASCII. */
export function traceJsonLine(trace: TraceJson): string {
  return traceText(trace);
}

function traceText(trace: Written<TraceJson, "packet" | "ingress" | "outcome" | "reason" | "egress" | "delivered" | "steps" | "branches">): string {
  const ingress = "local" in trace.ingress ? `{"local":${trace.ingress.local}}` : `{"interface":${str(trace.ingress.interface)}}`;
  let text = `{"packet":${packetText(trace.packet)},"ingress":${ingress},"outcome":"${trace.outcome}","reason":${str(trace.reason)}`;
  text += endText(trace);
  let written = stepsText(trace.steps, undefined);
  text += `,"steps":${written.text}`;
  if (trace.branches !== undefined) {
    text += `,"branches":[`;
    for (let i = 0; i < trace.branches.length; i++) {
      const branch = trace.branches[i]!;
      written = stepsText(branch.steps, written);
      text += (i === 0 ? "" : ",") + branchText(branch, written.text);
    }
    text += "]";
  }
  return text + "}";
}

function branchText(branch: Written<BranchJson, "outcome" | "reason" | "probability" | "egress" | "delivered" | "steps">, steps: string): string {
  let text = `{"outcome":"${branch.outcome}","reason":${str(branch.reason)}`;
  if (branch.probability !== undefined) text += `,"probability":${num(branch.probability)}`;
  return `${text}${endText(branch)},"steps":${steps}}`;
}

/** `,"egress":…` and `,"delivered":…`, those that are there. */
function endText({ egress, delivered }: Pick<TraceJson, "egress" | "delivered">): string {
  let text = "";
  if (egress !== undefined) text += `,"egress":{"interface":${str(egress.interface)},"packet":${packetText(egress.packet)}}`;
  if (delivered !== undefined) text += `,"delivered":{"packet":${packetText(delivered.packet)}}`;
  return text;
}

function packetText(packet: Written<PacketJson, "proto" | "src" | "dst" | "sport" | "dport" | "type" | "code">): string {
  let text = `{"proto":${str(packet.proto)},"src":${str(packet.src)},"dst":${str(packet.dst)}`;
  if (packet.sport !== undefined) text += `,"sport":${num(packet.sport)}`;
  if (packet.dport !== undefined) text += `,"dport":${num(packet.dport)}`;
  if (packet.type !== undefined) text += `,"type":${num(packet.type)}`;
  if (packet.code !== undefined) text += `,"code":${num(packet.code)}`;
  return text + "}";
}

/** A list of steps as JSON, and the text of each of its beginnings (`[` and the first i steps). */
interface StepsText {
  readonly steps: readonly Step[];
  readonly text: string;
  readonly prefixes: readonly string[];
}

/**
 * The JSON of `steps`, reusing what `previous` wrote of the steps they begin with: the trace's
 * own steps are its first branch's (the same array), and the branches of a fork hold the same
 * step objects up to the unknown match that split them.
 */
function stepsText(steps: readonly Step[], previous: StepsText | undefined): StepsText {
  if (previous !== undefined && previous.steps === steps) return previous;
  let shared = 0;
  if (previous !== undefined) {
    const limit = Math.min(steps.length, previous.steps.length);
    while (shared < limit && steps[shared] === previous.steps[shared]) shared++;
  }
  const prefixes: string[] = previous === undefined ? ["["] : previous.prefixes.slice(0, shared + 1);
  let text = prefixes[shared]!;
  for (let i = shared; i < steps.length; i++) prefixes.push((text += (i === 0 ? "" : ",") + stepText(steps[i]!)));
  return { steps, text: text + "]", prefixes };
}

function stepText(step: Step): string {
  switch (step.type) {
    case "rule":
    case "policy": {
      // Made once for every trace that takes the rule or policy (they are a trace's most steps).
      let text = sharedSteps.get(step);
      if (text === undefined) sharedSteps.set(step, (text = flat(step.type === "rule" ? ruleText(step) : policyText(step))));
      return text;
    }
    case "unknown":
      return unknownText(step);
    case "route":
      return routeText(step);
    case "conntrack":
      return conntrackText(step);
    case "nat":
      return natText(step);
    case "effect":
      return effectText(step);
    case "note":
      return noteText(step);
  }
}

function ruleText(s: Written<RuleStep, "hook" | "table" | "chain" | "type" | "rule" | "line" | "target">): string {
  const text = `{"hook":"${s.hook}","table":"${s.table}","chain":${str(s.chain)},"type":"rule","rule":${num(s.rule)},"line":${num(s.line)}`;
  return s.target === undefined ? `${text}}` : `${text},"target":${str(s.target)}}`;
}

function policyText(s: Written<PolicyStep, "hook" | "table" | "chain" | "type" | "policy">): string {
  return `{"hook":"${s.hook}","table":"${s.table}","chain":${str(s.chain)},"type":"policy","policy":"${s.policy}"}`;
}

function unknownText(s: Written<UnknownStep, "type" | "hook" | "table" | "chain" | "rule" | "line" | "reason" | "assumed" | "probability" | "pinned">): string {
  let text = `{"type":"unknown","hook":"${s.hook}","table":"${s.table}","chain":${str(s.chain)},"rule":${num(s.rule)},"line":${num(s.line)},"reason":${str(s.reason)},"assumed":"${s.assumed}"`;
  if (s.probability !== undefined) text += `,"probability":${num(s.probability)}`;
  if (s.pinned !== undefined) text += `,"pinned":${s.pinned}`;
  return text + "}";
}

function routeText(s: Written<RouteStep, "type" | "decision" | "interface" | "dropped" | "detail">): string {
  let text = `{"type":"route","decision":"${s.decision}"`;
  if (s.interface !== undefined) text += `,"interface":${str(s.interface)}`;
  if (s.dropped !== undefined) text += `,"dropped":"${s.dropped}"`;
  return `${text},"detail":${str(s.detail)}}`;
}

function conntrackText(s: Written<ConntrackStep, "type" | "hook" | "state" | "detail">): string {
  return `{"type":"conntrack","hook":"${s.hook}","state":${str(s.state)},"detail":${str(s.detail)}}`;
}

function natText(s: Written<NatStep, "type" | "hook" | "kind" | "before" | "after" | "detail">): string {
  const text = `{"type":"nat","hook":"${s.hook}","kind":"${s.kind}","before":${str(s.before)},"after":${str(s.after)}`;
  return s.detail === undefined ? `${text}}` : `${text},"detail":${str(s.detail)}}`;
}

function effectText(s: Written<EffectStep, "type" | "hook" | "table" | "chain" | "rule" | "detail">): string {
  return `{"type":"effect","hook":"${s.hook}","table":"${s.table}","chain":${str(s.chain)},"rule":${num(s.rule)},"detail":${str(s.detail)}}`;
}

function noteText(s: Written<NoteStep, "type" | "detail">): string {
  return `{"type":"note","detail":${str(s.detail)}}`;
}

/**
 * The same text, made one piece in memory. Joined strings are trees of their parts until
 * something needs their characters; writing a line out copies every leaf of its tree, so a
 * text that goes into thousands of lines is better copied from one piece than from a dozen.
 * Converting a string to a number makes V8 flatten it (and is a cheap NaN for JSON text).
 */
function flat(text: string): string {
  Number(text);
  return text;
}

/** A JSON number as JSON.stringify writes it (not finite: null). */
function num(n: number | null): string {
  return n !== null && Number.isFinite(n) ? String(n) : "null";
}

/** A JSON string: most need no escape, and are quoted as they are. */
function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? escaped(s) : `"${s}"`;
}

/**
 * Strings that need escapes, as JSON: they repeat (a MARK's note with its arrow is the same
 * for every packet it marks), so they are kept, up to a few hundred (then the cache starts over).
 */
const escapes = new Map<string, string>();
const MAX_ESCAPES = 512;

function escaped(s: string): string {
  let json = escapes.get(s);
  if (json === undefined) {
    if (escapes.size === MAX_ESCAPES) escapes.clear();
    escapes.set(s, (json = ascii(JSON.stringify(s))));
  }
  return json;
}

/** What JSON escapes (quote, backslash, control characters), and what is not ASCII. */
const NEEDS_ESCAPE = /["\\\x00-\x1f\x80-\uffff]/;

/** JSON text with every character beyond ASCII escaped. */
function ascii(json: string): string {
  return NON_ASCII.test(json) ? oneByte(json.replace(NON_ASCII_ALL, escapeChar)) : json;
}

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

const encoder = new TextEncoder();
/** Arguments a fromCharCode call is given at most here (engines limit how many a call may have). */
const CHUNK = 8192;

/**
 * The same all-ASCII text, one byte a character: replace() keeps the wide representation of
 * the text it was given; fromCharCode of codes below 256 makes a one-byte string.
 */
function oneByte(text: string): string {
  const bytes = encoder.encode(text);
  let narrow = "";
  for (let i = 0; i < bytes.length; i += CHUNK) narrow += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return narrow;
}
