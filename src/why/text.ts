/**
 * The answer of `why` for a person: the packet (and, with Docker's names, who sends it and
 * whom it is for), the short answer first with the Kubernetes services met, then the decisive
 * step, why not, Docker's trap and the fix.
 */
import { packetNamesLines } from "../docker/packet-names.js";
import { kubeServiceWords } from "../kube/text.js";
import type { Condition } from "./conditions.js";
import type { Decisive, Fix, NearMiss, RuleRef, Why } from "./types.js";
import type { FixDifference } from "./fix-diff.js";
import { withPort } from "../packet/format.js";
import { IPVS_NOTE } from "./writers.js";

const where = (r: RuleRef) => `${r.table}:${r.chain} #${r.rule} at ${r.hook}, ${r.file}:${r.line}`;

/**
 * The answer as `nfwalk why` prints it: one labelled section a line (answer, decided, why not,
 * docker, fix with what nfwalk checked, advice, rules), long sentences wrapped at about 100 columns.
 *
 * @param why - the answer of {@link why}
 */
export function whyText(why: Why): string {
  const p = why.packet;
  const from = "local" in why.origin ? "sent by a process on the host" : `arriving on ${why.origin.in}`;
  const lines = [`${p.proto} ${withPort(p.src, p.sport ?? undefined)} -> ${withPort(p.dst, p.dport ?? undefined)}, ${from}${why.originInferred ? ` (${why.originInferred})` : ""}`];
  if (why.assumedHost) lines.push(...wrap("host      ", `no --addr/--route given, so nfwalk assumed this host: ${why.assumedHost.join("; ")}`));
  // Who sends it and whom it is for; the answer names the container a packet that gets there reaches.
  for (const { label, words, afterNat } of why.names ? packetNamesLines(why.names) : []) if (!(afterNat && why.reached)) lines.push(`${label.padEnd(10)}${words}`);
  lines.push("", `answer    ${why.answer}`);
  if (why.conntrack) lines.push(`conntrack ${why.conntrack}`);
  for (const service of why.kubernetes ?? []) lines.push(`service   ${kubeServiceWords(service)}`);
  if (why.kubeProxy === "ipvs") lines.push(...wrap("note      ", IPVS_NOTE));
  if (why.reply && !why.reply.getsBack) lines.push(...wrap("reply     ", `but its reply does not get back: ${why.reply.outcome}`));
  if (why.decisive) lines.push("", ...decisiveLines(why.decisive));
  if (why.translatedBy) lines.push("", `via       DNAT to ${why.translatedBy.after} by ${where(why.translatedBy)}`, `          ${why.translatedBy.text}`);
  for (const miss of why.whyNot) lines.push("", ...nearMissLines(miss));
  for (const alt of why.alternatives) lines.push("", `if        ${alt.assumed.join("\n          and ") || "(no unknown match)"}`, `then      ${alt.outcome}: ${alt.answer}`);
  for (const trap of why.traps) lines.push("", ...wrap(trap.name === "forward-policy-drop" && !why.docker ? "note      " : "docker    ", trap.words));
  for (const [i, fix] of why.fixes.entries()) lines.push("", ...fixLines(fix, i === 0 ? "fix" : "or"));
  // "or …" follows a fix; with none printed, the advice stands alone.
  const advice = why.fixes.length > 0 ? why.advice : why.advice.map((a, i) => (i === 0 ? a.replace(/^or /, "") : a));
  if (advice.length > 0) lines.push("", "advice    (what nfwalk cannot check)", ...advice.flatMap((a) => wrap("          ", a)));
  const writers = [...(why.kubeProxy ? [`kube-proxy (${why.kubeProxy === "ipvs" ? "IPVS" : "iptables"} mode)`] : []), ...(why.docker ? [why.docker] : [])];
  if (writers.length > 0) lines.push("", `rules     written by ${writers.join(" and ")}`);
  return lines.join("\n") + "\n";
}

function fixLines(fix: Fix, label: string): string[] {
  const lines = fix.words === undefined ? [] : [`${label.padEnd(10)}${fix.words}${fix.commands.length > 0 ? ":" : ""}`];
  fix.commands.forEach((command, i) => lines.push(`${(lines.length === 0 && i === 0 ? label : "").padEnd(10)}${command}`));
  lines.push(...wrap("checked   ", `with it nfwalk traced the packet: ${fix.packet}; its reply: ${fix.reply}`));
  lines.push(...alsoLines(fix));
  return lines;
}

/** At most this many differences of one fix, and PACKETSET boxes of one difference, in text; JSON lists them all. */
const TEXT_DIFFERENCES = 6;
const TEXT_BOXES = 4;

const CHANGE_WORDS: Readonly<Record<Exclude<FixDifference["change"], "undetermined">, string>> = {
  opens: "it opens",
  closes: "it closes",
  changes: "it changes",
};

/** What else the fix changes, as the packet sets' diff found it: each set with its before → after and an example; the undetermined ones summed up. */
function alsoLines(fix: Fix): string[] {
  if (fix.alsoChanges.length === 0) return wrap("also      ", "nothing else: by diff against the current rules, every other new connection is treated as before");
  const known = fix.alsoChanges.filter((d): d is FixDifference & { change: keyof typeof CHANGE_WORDS } => d.change !== "undetermined");
  const unknown = fix.alsoChanges.filter((d) => d.change === "undetermined");
  const lines = known.slice(0, TEXT_DIFFERENCES).flatMap((d) => {
    const more = d.packets.length > TEXT_BOXES ? [`            … and ${d.packets.length - TEXT_BOXES} more (--json lists them all)`] : [];
    return [
      `          ${CHANGE_WORDS[d.change]}, ${originWords(d.origin)}: ${d.before} → ${d.after}`,
      ...d.packets.slice(0, TEXT_BOXES).map((box) => `            ${box}`),
      ...more,
      `            example: ${d.example}`,
    ];
  });
  if (known.length > TEXT_DIFFERENCES) lines.push(`          … and ${known.length - TEXT_DIFFERENCES} more sets of packets it changes (--json lists them all)`);
  if (unknown.length > 0) {
    const origins = [...new Set(unknown.map((d) => originWords(d.origin)))].join(", ");
    const reasons = [...new Set(unknown.map((d) => d.reason))].join("; ");
    lines.push(...wrap("          ", `nfwalk cannot tell what else it changes for ${unknown.length} sets of packets (${origins}; --json lists them): ${reasons}`));
  }
  return ["also" + lines[0]!.slice(4), ...lines.slice(1)];
}

const originWords = (origin: FixDifference["origin"]) => ("local" in origin ? "sent by the host" : `arriving on ${origin.in}`);

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
