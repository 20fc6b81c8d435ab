/**
 * The engine in a Web Worker: it loads the lesson's rules and host and traces its packet and
 * its reply, or answers `why`, through the public API, the same calls `nfwalk trace` and
 * `nfwalk why` make, so that the page stays responsive while it works.
 */
import {
  defaultHost,
  formatAddress,
  loadHost,
  parsePacketSpec,
  parseRuleset,
  parseSysctls,
  trace,
  tracePath,
  why,
  whyText,
  type Diagnostic,
  type Host,
  type Origin,
  type Packet,
} from "../../src/index.ts";
import type { InputProblem, Lesson, PacketFields, TraceAnswer, TraceRequest, WhyAnswer } from "./protocol.ts";

// A dedicated worker's global scope posts and receives messages as a Worker object does.
const scope = self as unknown as Worker;

scope.addEventListener("message", (event: MessageEvent<TraceRequest>) => {
  const { id, kind, lesson } = event.data;
  const started = performance.now();
  const loaded = load(lesson);
  if (kind === "why") {
    const explained = loaded.ready && why(loaded.ready.ruleset, loaded.ready.host, loaded.ready.packet, { from: loaded.ready.from });
    const answer = explained?.ok ? { why: { answer: explained.answer, text: whyText(explained.answer) } } : {};
    scope.postMessage({ kind, id, ms: performance.now() - started, ...answer } satisfies WhyAnswer);
    return;
  }
  const answer = traced(loaded);
  scope.postMessage({ kind, id, ms: performance.now() - started, ...answer } satisfies TraceAnswer);
});

const REACHED = new Set(["delivered", "forwarded", "sent"]);

type Base = Omit<TraceAnswer, "kind" | "id" | "ms">;

/** What the page needs whatever is asked: the problems with the input; and, when there are none, what to trace. */
interface Loaded {
  readonly base: Base;
  readonly ready?: { readonly ruleset: Parameters<typeof defaultHost>[0]; readonly host: Host; readonly packet: Packet; readonly from: Origin };
}

function load(lesson: Lesson): Loaded {
  const loaded = parseRuleset(lesson.rules, { file: lesson.rulesName });
  const diagnostics = loaded.diagnostics;
  const problems: InputProblem[] = [];
  if (!loaded.ok) problems.push({ input: "rules", message: `${lesson.rulesName} cannot be loaded: ${diagnostics.filter((d) => d.severity === "error").length} error(s), marked in the editor` });
  const host = loaded.ok ? hostOf(lesson, loaded.ruleset, problems) : undefined;
  const parsed = parsePacketSpec(lesson.packet);
  if (!parsed.ok) problems.push({ input: "packet", message: `the packet "${lesson.packet}": ${parsed.message}` });
  const interfaces = host?.interfaces.map((i) => i.name) ?? [];
  const assumedHost = host?.origin.kind === "default" ? host.origin.assumptions : undefined;
  const base = { diagnostics, problems, interfaces, ...(assumedHost && { assumedHost }), ...(parsed.ok && { packet: { spec: lesson.packet, fields: fieldsOf(lesson.packet, parsed.packet) } }) };
  if (!loaded.ok || host === undefined || !parsed.ok) return { base };

  const { ruleset } = loaded;
  const packet = parsed.packet;
  if (packet.family !== ruleset.family) {
    problems.push({ input: "packet", message: `the packet is ${packet.family} but the rules are an ${ruleset.family === "ipv4" ? "iptables" : "ip6tables"} dump` });
    return { base };
  }
  const from: Origin = lesson.from === "local" ? { local: true } : { interface: lesson.from };
  if ("interface" in from && !interfaces.includes(from.interface)) {
    problems.push({ input: "packet", message: `the host has no interface ${from.interface} (it has ${interfaces.join(", ")})` });
    return { base };
  }
  return { base, ready: { ruleset, host, packet, from } };
}

function traced({ base, ready }: Loaded): Base {
  if (ready === undefined) return base;
  const { ruleset, host, packet, from } = ready;
  const first = trace(ruleset, host, packet, { from });
  const reply = REACHED.has(first.outcome) || first.branches?.some((b) => REACHED.has(b.outcome)) ? trace(ruleset, host, packet, { from, connection: "reply" }) : undefined;
  return {
    ...base,
    trace: first,
    path: tracePath(first, ruleset),
    ...(reply && { reply, replyPath: tracePath(reply, ruleset) }),
  };
}

/** The lesson's host: its addresses and routes when given, else the host nfwalk assumes around the rules (as the command does). */
function hostOf(lesson: Lesson, ruleset: Parameters<typeof defaultHost>[0], problems: InputProblem[]): Host | undefined {
  const sysctls = lesson.sysctls
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const say = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) problems.push({ input: "host", message: d.span ? `${d.span.file}:${d.span.line}:${d.span.column}: ${d.message}` : d.message });
  };
  if (lesson.addr.trim() === "" && lesson.route.trim() === "") {
    const parsed = parseSysctls(sysctls);
    if (parsed.ok) return defaultHost(ruleset, parsed.value);
    say(parsed.diagnostics);
    return undefined;
  }
  const host = loadHost({ addr: lesson.addr, route: lesson.route, sysctls, addrFile: "addresses", routeFile: "routes" });
  if (host.ok) return host.value;
  say(host.diagnostics);
  return undefined;
}

function fieldsOf(spec: string, packet: Packet): PacketFields {
  const t = packet.transport;
  const proto = t.kind === "other" ? spec.trim().split(/\s+/)[0]! : t.kind;
  return {
    proto,
    src: formatAddress(packet.src),
    dst: formatAddress(packet.dst),
    ...("sport" in t && { sport: t.sport, dport: t.dport }),
    ...(t.kind === "tcp" && { flags: t.flags }),
    ...("type" in t && { type: t.type }),
  };
}
