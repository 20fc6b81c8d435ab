/**
 * EXPECTATIONS.yaml, the file `nfwalk check` reads (README, "Use in CI"):
 *
 *     rules: ../docker-host/rules.v4          # paths are relative to this file
 *     host:
 *       addr: ../docker-host/ip-addr.json
 *       route: ../docker-host/ip-route.json
 *     expectations:
 *       - name: the web container's port is published on 8080
 *         in: eth0
 *         packets: tcp 203.0.113.0/24 -> 10.99.0.1:8080
 *         expect: forwarded via docker0 after NAT to 172.17.0.2:80
 *
 * Read with the yaml package's Document API, which keeps each node's place in
 * the text: every problem is a diagnostic at the line and column of its node.
 * Read in two steps: the file (readCheckFile), then, once the rules are loaded,
 * its packets as packets of the rules' family (expectationsIn): the PACKETSETs
 * and the addresses after NAT are IPv4 or IPv6 as the dump is.
 */
import { dirname, isAbsolute, join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import {
  error,
  parseOutcomeSpec,
  parsePacketSet,
  parseSysctls,
  type AllowedChange,
  type Diagnostic,
  type Expectation,
  type Family,
  type Ingress,
  type Location,
  type PacketsFrom,
  type Parsed,
  type SourceSpan,
} from "../index.js";

export interface Located<T> {
  readonly value: T;
  readonly span: SourceSpan;
}

/** A text of the file that is read once the rules' family is known, with the place of its characters for an error about one word. */
export interface FileText extends Located<string> {
  /** The place of the characters [at, at + length) of the value (the whole node where the file escapes them). */
  readonly place: (at: number, length: number) => SourceSpan;
}

/** Packets as the file gives them: where they come from (the interface's place, to check it against the host), and the PACKETSET. */
export interface FilePackets {
  readonly ingress: Ingress;
  readonly ingressSpan: SourceSpan;
  readonly set: FileText;
}

export interface FileAllowed {
  readonly ingress?: Ingress;
  readonly ingressSpan?: SourceSpan;
  readonly set: FileText;
}

export type FileExpectation =
  | { readonly kind: "outcome"; readonly name: string; readonly where: Location; readonly packets: FilePackets; readonly expect: FileText }
  | {
      readonly kind: "no-change";
      readonly name: string;
      readonly where: Location;
      readonly span: SourceSpan;
      readonly before?: Located<string>;
      readonly packets?: FilePackets;
      readonly allow: readonly FileAllowed[];
    };

/** An expectation with its packets read in the rules' family; a no-change one still names its BEFORE dump. */
export type ReadExpectation =
  | Extract<Expectation, { kind: "outcome" }>
  | (Omit<Extract<Expectation, { kind: "no-change" }>, "before"> & { readonly before?: Located<string>; readonly span: SourceSpan });

/** The host's files (paths resolved against the file's folder) and sysctls. */
export interface FileHost {
  readonly snapshot?: Located<string>;
  readonly addr?: Located<string>;
  readonly route?: Located<string>;
  readonly ipset?: Located<string>;
  readonly sysctl: readonly string[];
}

export interface CheckFile {
  readonly file: string;
  readonly rules?: Located<string>;
  readonly host: FileHost;
  /** The whole document, for what concerns the file as a whole. */
  readonly span: SourceSpan;
  readonly expectations: readonly FileExpectation[];
}

const TOP_KEYS = ["rules", "host", "expectations"] as const;
const HOST_KEYS = ["snapshot", "addr", "route", "sysctl", "ipset"] as const;
const EXPECTATION_KEYS = ["name", "in", "local", "packets", "expect", "before", "allow"] as const;
const ALLOW_KEYS = ["in", "local", "packets"] as const;

/** Stops reading a node once a diagnostic about it is recorded. */
class Refused extends Error {}

export function readCheckFile(text: string, file: string): Parsed<CheckFile> {
  const reader = new Reader(text, file);
  const value = reader.read();
  return reader.diagnostics.length > 0 || value === undefined ? { ok: false, diagnostics: reader.diagnostics } : { ok: true, value };
}

/**
 * The file's expectations with their packets read as the rules' (`rules` names them in
 * messages): each PACKETSET, and the addresses after NAT, must be of that family.
 */
export function expectationsIn(file: CheckFile, rules: { readonly family: Family; readonly file: string }): Parsed<ReadExpectation[]> {
  const diagnostics: Diagnostic[] = [];
  const dump = rules.family === "ipv4" ? "an iptables-save (IPv4) dump" : "an ip6tables-save (IPv6) dump";
  // Packets or addresses of the other family are no typo: say which family the file is about, and why.
  const familyNote = [`the rules (${rules.file}) are ${dump}: the file's packets and addresses are of their family`];
  const query = (set: FileText) => {
    const parsed = parsePacketSet(set.value, rules.family);
    if (parsed.ok) return parsed.query;
    const other = parsePacketSet(set.value, rules.family === "ipv4" ? "ipv6" : "ipv4").ok;
    diagnostics.push(error(other ? "check-family" : "check-bad-packets", `bad PACKETSET "${set.value}": ${parsed.message}`, set.span, other ? familyNote : undefined));
    return undefined;
  };
  const packetsFrom = (p: FilePackets): PacketsFrom | undefined => {
    const q = query(p.set);
    return q && { ingress: p.ingress, query: q, text: p.set.value.trim() };
  };
  const allowed = (a: FileAllowed, packets: PacketsFrom | undefined): AllowedChange | undefined => {
    const q = query(a.set);
    if (q === undefined) return undefined;
    const fixed = packets?.query.fixed;
    if (fixed && JSON.stringify(q.fixed) !== JSON.stringify(fixed)) {
      diagnostics.push(error("check-allow-options", "an allowed change's [...] options must be those of the expectation's packets: the changes are compared for those packets", a.set.span));
    } else if (!fixed && a.set.value.includes("[")) {
      diagnostics.push(error("check-allow-options", "an allowed change takes no [...] options: the changes are compared for first packets as trace gives them (a SYN, an echo request)", a.set.span));
    }
    return { ...(a.ingress && { ingress: a.ingress }), set: q.set };
  };
  const expectations = file.expectations.map((e): ReadExpectation | undefined => {
    if (e.kind === "outcome") {
      const spec = parseOutcomeSpec(e.expect.value, rules.family);
      // Its words were read with the file: what is left to refuse is a NAT address of the other family.
      if (!spec.ok) diagnostics.push(error("check-family", spec.message, e.expect.place(spec.at, spec.length), familyNote));
      const packets = packetsFrom(e.packets);
      return spec.ok && packets ? { kind: "outcome", name: e.name, where: e.where, packets, expect: spec.spec } : undefined;
    }
    const packets = e.packets && packetsFrom(e.packets);
    const allow = e.allow.map((a) => allowed(a, packets)).filter((a) => a !== undefined);
    return { kind: "no-change", name: e.name, where: e.where, span: e.span, ...(e.before && { before: e.before }), ...(packets && { packets }), allow };
  });
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, value: expectations.filter((e) => e !== undefined) };
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines = new LineCounter();

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  read(): CheckFile | undefined {
    const doc = parseDocument(this.text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    // The first syntax error only: the parser's later ones follow from it.
    const first = doc.errors[0];
    if (first) {
      const message = first.message.includes("call stack") ? "the YAML is nested too deeply" : first.message.split("\n")[0]!;
      this.diagnostics.push(error("yaml-syntax", message, this.spanAt(first.pos[0], first.pos[1] - first.pos[0])));
      return undefined;
    }
    const whole = this.spanAt(0, 1);
    return this.attempt(() => {
      const top = this.map(doc.contents, "the file", TOP_KEYS, whole);
      const rules = this.optional(top, "rules", (n) => this.path(n));
      const hostNode = top.get("host");
      const host = hostNode ? this.host(hostNode.value, hostNode.key) : { sysctl: [] };
      const list = top.get("expectations");
      if (!list) this.fail('the file needs "expectations:", a list of expectations', whole);
      if (!isSeq(list.value) || list.value.items.length === 0) this.fail('expected a list of expectations (each starting with "- name: …")', this.spanOf(list.value, list.key));
      const names = new Map<string, number>();
      const expectations = list.value.items.flatMap((item) => {
        const e = this.attempt(() => this.expectation(item as Node));
        if (e === undefined) return [];
        const other = names.get(e.name);
        if (other !== undefined)
          this.diagnostics.push(error("check-duplicate-name", `another expectation (line ${other}) has the name "${e.name}"; a report tells them apart by name`, this.spanOf(item as Node)));
        names.set(e.name, e.where.line);
        return [e];
      });
      return { file: this.file, ...(rules && { rules }), host, span: whole, expectations };
    });
  }

  private host(node: Node | null, key: Node): FileHost {
    const map = this.map(node, '"host"', HOST_KEYS, this.spanOf(node, key));
    const located = (name: (typeof HOST_KEYS)[number]) => this.optional(map, name, (n) => this.path(n));
    const [snapshot, addr, route, ipset] = [located("snapshot"), located("addr"), located("route"), located("ipset")];
    if ((addr === undefined) !== (route === undefined)) {
      this.fail("addr and route go together: the addresses say what is local, the routes where the rest goes", (addr ?? route)!.span, "check-host-half");
    }
    const sysctl = this.optional(map, "sysctl", (n) => this.sysctls(n)) ?? [];
    return { ...(snapshot && { snapshot }), ...(addr && { addr }), ...(route && { route }), ...(ipset && { ipset }), sysctl };
  }

  private sysctls(node: Node): string[] {
    const map = this.map(node, '"sysctl"', undefined, this.spanOf(node));
    return [...map.entries()].map(([name, pair]) => {
      const value = pair.value;
      if (!isScalar(value) || (typeof value.value !== "number" && typeof value.value !== "string")) this.fail(`the value of ${name} must be a number, e.g. ${name}: 0`, this.spanOf(value, pair.key));
      const assignment = `${name}=${String(value.value)}`;
      const parsed = parseSysctls([assignment]);
      if (!parsed.ok) for (const d of parsed.diagnostics) this.diagnostics.push({ ...d, span: this.spanOf(pair.key), message: d.message.replace(/^--sysctl /, "sysctl ") });
      return assignment;
    });
  }

  private expectation(node: Node): FileExpectation {
    const span = this.spanOf(node);
    const map = this.map(node, "an expectation", EXPECTATION_KEYS, span);
    const name = this.optional(map, "name", (n) => this.string(n));
    if (name === undefined || name.value.trim() === "") this.fail('an expectation needs a "name:", which reports show', span, "check-missing");
    const where: Location = { file: span.file, line: span.line, column: span.column };
    const expect = map.get("expect");
    if (!expect) this.fail('an expectation needs "expect:": an outcome such as "forwarded via docker0", or "no-change"', span, "check-missing");
    const phrase = this.string(expect.value, expect.key);
    if (phrase.value.trim().toLowerCase() === "no-change") return this.noChange(map, name.value, where, span);
    for (const key of ["before", "allow"] as const) {
      const pair = map.get(key);
      if (pair) this.fail(`"${key}" goes with "expect: no-change"`, this.spanOf(pair.key), "check-misplaced");
    }
    const outcome = this.fileText(expect.value as Scalar, phrase);
    // The phrase's words now; its NAT addresses' family with the packets'.
    const spec = parseOutcomeSpec(outcome.value);
    if (!spec.ok) this.fail(spec.message, outcome.place(spec.at, spec.length), "check-bad-outcome");
    const packets = this.packets(map);
    if (!packets) this.fail('an expectation needs "packets:" (a PACKETSET such as "tcp any -> 10.0.0.1:22") and "in: IFACE" or "local: true"', span, "check-missing");
    return { kind: "outcome", name: name.value, where, packets, expect: outcome };
  }

  private noChange(map: Map<string, Pair<Node, Node | null>>, name: string, where: Location, span: SourceSpan): FileExpectation {
    const before = this.optional(map, "before", (n) => this.path(n));
    const packets = this.packets(map);
    const allowNode = map.get("allow");
    const allow: FileAllowed[] = [];
    if (allowNode) {
      if (!isSeq(allowNode.value))
        this.fail('expected a list of allowed changes, each "- packets: PACKETSET" with "in: IFACE" or "local: true" or neither', this.spanOf(allowNode.value, allowNode.key));
      for (const item of allowNode.value.items) {
        const entry = this.attempt(() => {
          const itemSpan = this.spanOf(item as Node);
          const entryMap = this.map(item as Node, "an allowed change", ALLOW_KEYS, itemSpan);
          const origin = this.origin(entryMap);
          const set = this.packetSet(entryMap);
          if (set === undefined) this.fail('an allowed change needs "packets: PACKETSET"', itemSpan, "check-missing");
          return { ...(origin && { ingress: origin.ingress, ingressSpan: origin.span }), set };
        });
        if (entry) allow.push(entry);
      }
    }
    return { kind: "no-change", name, where, span, ...(before && { before }), ...(packets && { packets }), allow };
  }

  /** `packets:` with `in:`/`local:`; both or neither (a no-change expectation compares every packet without them). */
  private packets(map: Map<string, Pair<Node, Node | null>>): FilePackets | undefined {
    const origin = this.origin(map);
    const set = this.packetSet(map);
    if (origin && set) return { ingress: origin.ingress, ingressSpan: origin.span, set };
    if (origin) this.fail(`"packets: PACKETSET" says which packets come ${origin.ingress.kind === "local" ? "from the host" : `in on ${origin.ingress.name}`}`, origin.span, "check-missing");
    if (set) this.fail('"in: IFACE" or "local: true" says where the packets come from', set.span, "check-missing");
    return undefined;
  }

  private packetSet(map: Map<string, Pair<Node, Node | null>>): FileText | undefined {
    const pair = map.get("packets");
    if (!pair) return undefined;
    return this.fileText(pair.value as Scalar, this.string(pair.value, pair.key));
  }

  private origin(map: Map<string, Pair<Node, Node | null>>): { ingress: Ingress; span: SourceSpan } | undefined {
    const iface = map.get("in");
    const local = map.get("local");
    if (iface && local) this.fail('give "in: IFACE" or "local: true", not both', this.spanOf(local.key), "check-origin");
    if (local) {
      if (!isScalar(local.value) || local.value.value !== true)
        this.fail('"local" is "local: true" (a host process sends the packets), or left out', this.spanOf(local.value, local.key), "check-origin");
      return { ingress: { kind: "local" }, span: this.spanOf(local.key) };
    }
    if (iface) {
      const name = this.string(iface.value, iface.key);
      return { ingress: { kind: "interface", name: name.value }, span: name.span };
    }
    return undefined;
  }

  private map<K extends string>(node: Node | null, what: string, keys: readonly K[] | undefined, span: SourceSpan): Map<string, Pair<Node, Node | null>> {
    if (!isMap(node)) this.fail(`${what} must be a mapping of keys to values`, node ? this.spanOf(node) : span, "check-shape");
    const out = new Map<string, Pair<Node, Node | null>>();
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== "string") this.fail("keys are plain words", this.spanOf(key), "check-shape");
      if (keys && !keys.includes(key.value as K)) this.fail(`unknown key "${key.value}" in ${what} (known: ${keys.join(", ")})`, this.spanOf(key), "check-unknown-key");
      out.set(key.value, pair);
    }
    return out;
  }

  private optional<T>(map: Map<string, Pair<Node, Node | null>>, key: string, read: (node: Node) => T): T | undefined {
    const pair = map.get(key);
    if (!pair) return undefined;
    // `key:` with nothing after it: no node, or an empty scalar.
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) this.fail(`"${key}" has no value`, this.spanOf(pair.key), "check-shape");
    return read(pair.value);
  }

  private string(node: Node | null, key?: Node): Located<string> {
    if (!isScalar(node) || typeof node.value !== "string") this.fail("expected text", this.spanOf(node, key), "check-shape");
    return { value: node.value, span: this.spanOf(node) };
  }

  /** A path from the file, relative to the file's folder. */
  private path(node: Node): Located<string> {
    const text = this.string(node);
    if (this.file === "-" || isAbsolute(text.value)) return text;
    return { value: join(dirname(this.file), text.value), span: text.span };
  }

  /** Reads a part, recording its diagnostic and giving undefined when it is refused. */
  private attempt<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (e instanceof Refused) return undefined;
      throw e;
    }
  }

  private fail(message: string, span: SourceSpan, code = "check-shape"): never {
    this.diagnostics.push(error(code, message, span));
    throw new Refused();
  }

  /** A scalar's text, with the place of its characters: where the file shows them unchanged, else the whole scalar. */
  private fileText(node: Scalar, value: Located<string>): FileText {
    const [start, end] = node.range!;
    const shown = this.text.slice(start, end).indexOf(value.value);
    return { ...value, place: (at, length) => (shown < 0 ? value.span : this.spanAt(start + shown + at, length)) };
  }

  /** The place of a node (or, for a missing value, of its key). */
  private spanOf(node: Node | null | undefined, key?: Node): SourceSpan {
    const range = node?.range ?? key?.range;
    if (!range) return this.spanAt(0, 1);
    return this.spanAt(range[0], range[1] - range[0]);
  }

  private spanAt(offset: number, length: number): SourceSpan {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col, length: Math.max(1, length) };
  }
}
