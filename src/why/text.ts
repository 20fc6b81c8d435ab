/**
 * The answer of `why` for a person: the packet (and, with Docker's names, who sends it and
 * whom it is for), the short answer first with the Kubernetes services met, then the decisive
 * step, why not, Docker's trap and the fix.
 */
import { packetNamesLines } from "../docker/packet-names.js";
import { kubeServiceWords } from "../kube/text.js";
import type { Condition } from "./conditions.js";
import type { Decisive, NearMiss, RuleRef, Why } from "./types.js";

const where = (r: RuleRef) => `${r.table}:${r.chain} #${r.rule} at ${r.hook}, ${r.file}:${r.line}`;

export function whyText(why: Why): string {
  const p = why.packet;
  const ports = p.sport === undefined ? "" : `:${p.sport}`;
  const dports = p.dport === undefined ? "" : `:${p.dport}`;
  const from = "local" in why.origin ? "sent by a process on the host" : `arriving on ${why.origin.in}`;
  const lines = [`${p.proto} ${p.src}${ports} -> ${p.dst}${dports}, ${from}${why.originInferred ? ` (${why.originInferred})` : ""}`];
  // Who sends it and whom it is for; the answer names the container a packet that gets there reaches.
  for (const { label, words, afterNat } of why.names ? packetNamesLines(why.names) : []) if (!(afterNat && why.reached)) lines.push(`${label.padEnd(10)}${words}`);
  lines.push("", `answer    ${why.answer}`);
  for (const service of why.kubernetes ?? []) lines.push(`service   ${kubeServiceWords(service)}`);
  if (why.decisive) lines.push("", ...decisiveLines(why.decisive));
  if (why.translatedBy) lines.push("", `via       DNAT to ${why.translatedBy.after} by ${where(why.translatedBy)}`, `          ${why.translatedBy.text}`);
  for (const miss of why.whyNot) lines.push("", ...nearMissLines(miss));
  for (const alt of why.alternatives) lines.push("", `if        ${alt.assumed.join("\n          and ") || "(no unknown match)"}`, `then      ${alt.outcome}: ${alt.answer}`);
  for (const trap of why.traps) lines.push("", ...wrap(`docker    `, trap.words));
  if (why.fixes.length > 0) lines.push("", ...why.fixes.map((f, i) => `${i === 0 ? "fix" : "   "}       ${f}`));
  if (why.docker) lines.push("", `rules     written by ${why.docker}`);
  return lines.join("\n") + "\n";
}

function decisiveLines(d: Decisive): string[] {
  switch (d.kind) {
    case "rule":
      return [`decided   by ${where(d)}`, `          ${d.text}`];
    case "policy":
      return [`decided   by the policy ${d.policy} of ${d.table}:${d.chain} at ${d.hook}: no rule there accepted or dropped it first`];
    case "routing":
      return [`decided   by routing: ${d.detail}`];
    case "other":
      return [`decided   ${d.detail}`];
  }
}

function nearMissLines(miss: NearMiss): string[] {
  const lines = [`why not   this rule would have ${miss.wouldHave}: ${where(miss.rule)}`, `          ${miss.rule.text}`];
  const against = miss.conditions.filter((c) => c.result !== "holds");
  for (const c of against) lines.push(`          ${conditionText(c)}${c.of === "jump" ? " (in the jump to its chain)" : ""}`);
  if (miss.note) lines.push(`          ${miss.note}`);
  return lines;
}

function conditionText(c: Condition): string {
  const verdict = c.result === "fails" ? "fails" : "cannot be known";
  return `${c.text}: ${verdict}${c.packetHas ? `: ${c.packetHas}` : ""}`;
}

/** Long sentences broken at about 100 columns, continued under the first word. */
function wrap(head: string, text: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(" ")) {
    if (line.length + word.length > 100 && line.trim() !== head.trim()) {
      lines.push(line.trimEnd());
      line = " ".repeat(head.length);
    }
    line += word + " ";
  }
  lines.push(line.trimEnd());
  return lines;
}
