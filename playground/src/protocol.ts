/**
 * What the page asks the worker and what it answers: the page's inputs as text, and the
 * engine's answers as the plain data the public API returns (what `nfwalk trace --json`
 * and `nfwalk why --json` print).
 */
import type { Diagnostic, TracePath, TraceResult, Why } from "../../src/index.ts";

/** Everything a lesson is: the rules, the host, the packet and where it comes from. */
export interface Lesson {
  readonly rulesName: string;
  readonly rules: string;
  /** `ip -json addr show`; with `route` empty too, nfwalk assumes a host built around the rules. */
  readonly addr: string;
  /** `ip -json route show`. */
  readonly route: string;
  /** One sysctl setting a line, `net.ipv4.ip_forward=0`. */
  readonly sysctls: string;
  /** The packet in the command's syntax, `tcp 10.99.0.2:40000 -> 10.99.0.1:8080 [flags SYN]`. */
  readonly packet: string;
  /** The interface the packet arrives on, or "local": a process on the host sends it. */
  readonly from: string;
}

/** A trace is quick; `why` may take a second (it proves its fixes by tracing with them), so each has a worker of its own. */
export interface TraceRequest {
  readonly id: number;
  readonly kind: "trace" | "why";
  readonly lesson: Lesson;
}

/** A problem with one of the inputs, said in one line; rule diagnostics keep their positions for the editor. */
export interface InputProblem {
  readonly input: "rules" | "host" | "packet";
  readonly message: string;
}

/** A packet's fields as the packet form shows them. */
export interface PacketFields {
  readonly proto: string;
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  /** TCP's flag bits: FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32. */
  readonly flags?: number;
  readonly type?: number;
}

export interface TraceAnswer {
  readonly kind: "trace";
  readonly id: number;
  /** Milliseconds the worker took, loading included. */
  readonly ms: number;
  /** Errors and warnings about the rules, positioned in the dump. */
  readonly diagnostics: readonly Diagnostic[];
  /** What stops a trace: the rules, the host or the packet cannot be read. */
  readonly problems: readonly InputProblem[];
  /** The packet text read, for the form's fields. */
  readonly packet?: { readonly spec: string; readonly fields: PacketFields };
  /** The host's interfaces, for the packet form. */
  readonly interfaces: readonly string[];
  /** The host nfwalk assumed, in words, when no addresses and routes were given. */
  readonly assumedHost?: readonly string[];
  readonly trace?: TraceResult;
  /** The trace on the netfilter flow, for the diagram: one path a branch. */
  readonly path?: TracePath;
  /** The reply to the packet (the connection's answer, its NAT undone), when the packet gets through, and its path. */
  readonly reply?: TraceResult;
  readonly replyPath?: TracePath;
}

/** `why` in plain words: the answer and the text `nfwalk why` prints (none when the lesson cannot be traced). */
export interface WhyAnswer {
  readonly kind: "why";
  readonly id: number;
  readonly ms: number;
  readonly why?: { readonly answer: Why; readonly text: string };
}
