/**
 * A check result in words: the one-line phrases of its message and the
 * lines of its detail (what was expected, the packets that break it, those
 * nfwalk cannot decide, and how to trace the counter-example).
 */
import type { Family } from "../model/types.js";
import { formatEndpoint } from "../packet/format.js";
import type { Treatment } from "../sets/reach.js";
import { originText, setLines } from "../sets/report.js";
import { outcomeSpecText, rewrittenAddress } from "./outcome.js";
import type { ExpectationFinding } from "./types.js";

/**
 * A treatment in the words expectations use: `forwarded via docker0 after NAT to 172.17.0.2:80`,
 * `dropped (policy DROP of filter FORWARD)`.
 */
export function treatmentWords(t: Treatment, family: Family): string {
  if (t.outcome !== "delivered" && t.outcome !== "forwarded" && t.outcome !== "sent") return `${t.outcome} (${t.reason})`;
  const [, , , sport, dport] = t.rewrite;
  const from = natEnd(t, family, "src", sport);
  const to = natEnd(t, family, "dst", dport);
  return `${t.outcome}${t.interface !== undefined ? ` via ${t.interface}` : ""}${from || to ? ` after NAT${from && ` from ${from}`}${to && ` to ${to}`}` : ""}`;
}

/** What NAT set of one end of the header, as an expectation writes it (`172.17.0.2:80`, `[fd00:2::2]:80`, `:80`); "" when nothing. */
function natEnd(t: Treatment, family: Family, field: "src" | "dst", port: number | undefined): string {
  const address = rewrittenAddress(t, family, field);
  if (address === undefined) return port === undefined ? "" : `:${port}`;
  return formatEndpoint(address, port);
}

const INDENT = "  ";

export function findingDetail(f: ExpectationFinding): string {
  const lines: string[] = [];
  if (f.kind === "outcome") {
    const { text, ingress } = f.packets;
    lines.push(`${f.expect.negated ? "no" : "every"} packet of ${text} ${originText(ingress)} must be: ${outcomeSpecText({ ...f.expect, negated: false })}`);
    if (f.broken.length > 0) {
      lines.push(f.expect.negated ? "these are:" : "these are not:");
      for (const part of f.broken) lines.push(`${INDENT}${treatmentWords(part.treatment, f.family)}`, setLines(part.set, INDENT + INDENT, f.family).trimEnd());
    }
  } else {
    const scope = f.packets ? `packets of ${f.packets.text} ${originText(f.packets.ingress)}` : "packets arriving on every interface and sent by the host";
    lines.push(`${f.before} and the rules now must treat ${scope} alike`);
    const broken = f.broken.filter((d) => d.before.outcome !== "undetermined" && d.after.outcome !== "undetermined");
    if (broken.length > 0) {
      lines.push("these are treated differently:");
      for (const d of broken)
        lines.push(`${INDENT}${originText(d.ingress)}: ${treatmentWords(d.before, f.family)} → ${treatmentWords(d.after, f.family)}`, setLines(d.set, INDENT + INDENT, f.family).trimEnd());
    }
  }
  if (f.counterExample) {
    lines.push(`counter-example: ${f.counterExample.packet} ${originText(f.counterExample.ingress)}`);
    for (const command of f.counterExample.trace) lines.push(`${INDENT}${command}`);
  }
  if (f.undetermined.length > 0) {
    lines.push("nfwalk cannot decide these:");
    for (const u of f.undetermined) lines.push(`${INDENT}${originText(u.ingress)}: ${u.reason}`, setLines(u.set, INDENT + INDENT, f.family).trimEnd());
  }
  return lines.join("\n");
}
