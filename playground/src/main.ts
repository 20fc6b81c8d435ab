/**
 * The playground page: the lesson (rules, host, packet) comes from the URL, from the files
 * `nfwalk playground --rules` serves, or from the gallery; every edit re-traces it in the
 * worker, and the answer is shown as the packet's path, step by step, linked to the rules.
 */
import gallery from "virtual:gallery";
import type { BranchJson, FlowPath, Step, TraceResult } from "../../src/index.ts";
import { byId, fill, h } from "./dom.ts";
import { rulesEditor } from "./editor.ts";
import { drawFlow, type DrawnFlow } from "./flow-diagram.ts";
import { packetForm } from "./packet-form.ts";
import type { Lesson, TraceAnswer, TraceRequest, WhyAnswer } from "./protocol.ts";
import { formatChance, headerText, stepView } from "./steps.ts";
import { decodeState, encodeState } from "./url-state.ts";

/** How long the page waits after an edit before tracing, so that typing does not queue a trace per key. */
const DEBOUNCE_MS = 120;

/** The engine, in workers: one traces (quick, on every edit), one answers `why` (it may take a second, and is restarted when an edit makes its work stale). */
const startWorker = () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const tracer = startWorker();
let explainer = startWorker();
let explaining = false;

const ui = {
  gallery: byId<HTMLSelectElement>("gallery"),
  lesson: byId("lesson"),
  timing: byId("timing"),
  share: byId<HTMLButtonElement>("share"),
  rulesName: byId("rules-name"),
  loadStatus: byId("load-status"),
  addr: byId<HTMLTextAreaElement>("host-addr"),
  route: byId<HTMLTextAreaElement>("host-route"),
  sysctls: byId<HTMLTextAreaElement>("host-sysctls"),
  hostProblems: byId("host-problems"),
  packetProblems: byId("packet-problems"),
  verdict: byId("verdict"),
  branches: byId("branches"),
  steps: byId("steps"),
  stepCount: byId("step-count"),
  back: byId<HTMLButtonElement>("step-back"),
  forward: byId<HTMLButtonElement>("step-forward"),
  flow: byId("flow"),
  caption: byId("step-caption"),
  viewPacket: byId<HTMLButtonElement>("view-packet"),
  viewReply: byId<HTMLButtonElement>("view-reply"),
  headers: byId("headers"),
  conntrack: byId("conntrack"),
  reply: byId("reply"),
  why: byId("why"),
};

let rulesName = "rules.v4";
let requested = 0;
let answer: TraceAnswer | undefined;
let whyAnswer: WhyAnswer | undefined;
let branch = 0;
let step = 0;
/** Whose path the diagram and the steps show: the packet's, or its reply's. */
let view: View = "packet";
let diagram: DrawnFlow | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

const schedule = () => {
  // The answer shown is the last edit's until this one is traced: say so from now, not from when the wait ends.
  document.body.dataset["tracing"] = "yes";
  clearTimeout(timer);
  timer = setTimeout(retrace, DEBOUNCE_MS);
};
const editor = rulesEditor(byId("editor"), "", schedule);
const form = packetForm(schedule);
for (const area of [ui.addr, ui.route, ui.sysctls]) area.addEventListener("input", schedule);
// Enter in a field of the packet form would submit it: the page traces as it goes instead.
byId("packet-form").addEventListener("submit", (event) => event.preventDefault());

function lesson(): Lesson {
  return { rulesName, rules: editor.text(), addr: ui.addr.value, route: ui.route.value, sysctls: ui.sysctls.value, packet: form.spec(), from: form.from() };
}

type View = "packet" | "reply";

function load(next: Lesson, at: { step: number; branch: number; view: View } = { step: 0, branch: 0, view: "packet" }): void {
  rulesName = next.rulesName;
  ui.rulesName.textContent = next.rulesName;
  editor.setText(next.rules);
  ui.addr.value = next.addr;
  ui.route.value = next.route;
  ui.sysctls.value = next.sysctls;
  form.set(next.packet, next.from);
  step = at.step;
  branch = at.branch;
  view = at.view;
  clearTimeout(timer);
  retrace();
}

function retrace(): void {
  requested += 1;
  document.body.dataset["tracing"] = "yes";
  const now = lesson();
  tracer.postMessage({ id: requested, kind: "trace", lesson: now } satisfies TraceRequest);
  if (explaining) {
    explainer.terminate();
    explainer = startWorker();
    explainer.addEventListener("message", explained);
  }
  explaining = true;
  whyAnswer = undefined;
  explainer.postMessage({ id: requested, kind: "why", lesson: now } satisfies TraceRequest);
}

function explained(event: MessageEvent<WhyAnswer>): void {
  explaining = false;
  if (event.data.id !== requested) return;
  whyAnswer = event.data;
  if (answer?.id !== requested) return; // the trace comes first, and renders this too
  renderConntrack(answer);
  renderWhy();
}
explainer.addEventListener("message", explained);

tracer.addEventListener("message", (event: MessageEvent<TraceAnswer>) => {
  if (event.data.id !== requested) return; // an older edit's answer
  answer = event.data;
  delete document.body.dataset["tracing"];
  form.setInterfaces(answer.interfaces);
  if (answer.packet) form.read(answer.packet.spec, answer.packet.fields);
  const branches = answer.trace?.branches?.length ?? 1;
  if (branch >= branches) branch = 0;
  if (answer.reply === undefined) view = "packet";
  step = Math.min(step, Math.max(stepsShown().length - 1, 0));
  render();
});

/** The branch shown: the trace's only one, or the one picked when it forks. */
function shownBranch(trace: TraceResult): BranchJson | TraceResult {
  return trace.branches?.[branch] ?? trace;
}

function stepsShown(): readonly Step[] {
  if (view === "reply") return answer?.reply?.steps ?? [];
  return answer?.trace ? shownBranch(answer.trace).steps : [];
}

/** The shown steps on the netfilter flow. */
function pathShown(): FlowPath | undefined {
  return view === "reply" ? answer?.replyPath?.paths[0] : answer?.path?.paths[branch];
}

function render(): void {
  if (answer === undefined) return;
  const a = answer;
  ui.timing.textContent = `traced in ${Math.max(1, Math.round(a.ms))} ms`;
  editor.showDiagnostics(a.diagnostics);
  const errors = a.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = a.diagnostics.length - errors;
  ui.loadStatus.className = `load-status ${errors ? "bad" : warnings ? "warn" : "good"}`;
  ui.loadStatus.textContent = errors
    ? `${plural(errors, "error")} in the rules: the dump does not load (marked in the editor; hover for the message)`
    : `the rules load${warnings ? `, with ${plural(warnings, "warning")} (marked in the editor)` : ""}`;
  const listProblems = (target: HTMLElement, input: string) => fill(target, ...a.problems.filter((p) => p.input === input).map((p) => h("li", {}, p.message)));
  listProblems(ui.hostProblems, "host");
  listProblems(ui.packetProblems, "packet");
  if (a.problems.some((p) => p.input === "host")) byId<HTMLDetailsElement>("host").open = true;
  renderVerdict(a);
  renderBranches(a);
  renderSteps();
  renderHeaders(a);
  renderConntrack(a);
  renderReply(a);
  renderWhy();
  void saveToUrl();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const REACHED = new Set(["delivered", "forwarded", "sent"]);

function renderVerdict(a: TraceAnswer): void {
  const t = a.trace;
  if (t === undefined) {
    ui.verdict.dataset["outcome"] = "none";
    fill(ui.verdict, h("p", { class: "outcome" }, "no trace"), h("p", {}, a.problems.map((p) => p.message).join("; ")));
    return;
  }
  const shown = shownBranch(t);
  const end = shown.egress ? `leaves ${shown.egress.interface} as ${headerText(shown.egress.packet)}` : shown.delivered ? `delivered as ${headerText(shown.delivered.packet)}` : "";
  ui.verdict.dataset["outcome"] = t.outcome;
  // Where the shown course ends, as the trace's JSON has it (for tests and tools reading the page).
  ui.verdict.dataset["end"] = JSON.stringify(shown.egress ? { egress: shown.egress } : shown.delivered ? { delivered: shown.delivered } : {});
  fill(
    ui.verdict,
    h("p", { class: "outcome", id: "outcome" }, t.outcome),
    h("p", { class: "reason" }, t.reason),
    t.branches ? h("p", { class: "branch-outcome" }, `branch ${branch + 1}: ${shown.outcome}, ${shown.reason}`) : undefined,
    end ? h("p", { class: "end" }, end) : undefined,
    a.assumedHost ? h("p", { class: "assumed" }, `No host given: nfwalk assumed ${a.assumedHost.join("; ")}.`) : undefined,
  );
}

function renderBranches(a: TraceAnswer): void {
  ui.viewPacket.classList.toggle("current", view === "packet");
  ui.viewReply.classList.toggle("current", view === "reply");
  ui.viewReply.disabled = a.reply === undefined;
  const branches = view === "packet" ? a.trace?.branches : undefined;
  fill(
    ui.branches,
    ...(branches ?? []).map((b, i) => {
      const button = h(
        "button",
        { type: "button", class: i === branch ? "current" : undefined, "data-outcome": b.outcome },
        `branch ${i + 1}${b.probability === undefined ? "" : ` ${formatChance(b.probability)}`}: ${b.outcome}`,
      );
      button.addEventListener("click", () => {
        branch = i;
        step = 0;
        render();
      });
      return button;
    }),
  );
}

function renderSteps(): void {
  const steps = stepsShown();
  const rules = editor.text();
  fill(
    ui.steps,
    ...steps.map((s, i) => {
      const view = stepView(s, rules, editor.line);
      const item = h(
        "li",
        { class: `step step-${s.type}${i === step ? " current" : ""}`, tabindex: -1 },
        h("span", { class: "where" }, view.where),
        h("span", { class: "what" }, view.what),
        h("span", { class: "words" }, view.words),
        view.line === undefined ? h("span", { class: "line" }) : lineLink(view.line),
      );
      for (const [key, value] of Object.entries(view.data)) item.dataset[key] = String(value);
      item.addEventListener("click", (event) => {
        if ((event.target as HTMLElement).closest("a")) return;
        goToStep(i, true);
      });
      return item;
    }),
  );
  ui.stepCount.textContent = steps.length ? `step ${step + 1} of ${steps.length}` : "no steps";
  ui.back.disabled = step <= 0;
  ui.forward.disabled = step >= steps.length - 1;
  const current = steps[step];
  editor.markStep(current === undefined ? undefined : stepView(current, rules, editor.line).line, false);
  renderDiagram();
}

/** The flow (drawn once, from the first answer's graph) with the shown path and the current step's node. */
function renderDiagram(): void {
  const flow = answer?.path?.flow;
  if (diagram === undefined && flow !== undefined) {
    diagram = drawFlow(flow, (node) => {
      const at = pathShown()?.steps.findIndex((s) => s.node === node) ?? -1;
      if (at >= 0) goToStep(at, true);
    });
    ui.flow.append(diagram.svg);
  }
  const path = pathShown();
  diagram?.show(path, path?.steps[step]?.node);
  renderCaption();
}

/** The current step in words under the diagram, so that the picture reads on its own. */
function renderCaption(): void {
  const current = stepsShown()[step];
  if (current === undefined) return fill(ui.caption);
  const view = stepView(current, editor.text(), editor.line);
  fill(
    ui.caption,
    h("span", { class: "where" }, view.where),
    h("span", { class: "what" }, view.what),
    h("span", { class: "words" }, view.words),
    view.line === undefined ? undefined : lineLink(view.line),
  );
  ui.caption.dataset["type"] = current.type;
}

function lineLink(line: number): HTMLAnchorElement {
  const link = h("a", { class: "line", href: `#line-${line}`, title: "show this line in the editor" }, `line ${line}`);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    editor.goTo(line);
  });
  return link;
}

function goToStep(i: number, reveal: boolean): void {
  const steps = stepsShown();
  if (steps.length === 0) return;
  step = Math.min(Math.max(i, 0), steps.length - 1);
  renderSteps();
  const current = ui.steps.children[step] as HTMLElement | undefined;
  current?.scrollIntoView({ block: "nearest" });
  if (document.activeElement === document.body || ui.steps.contains(document.activeElement)) current?.focus({ preventScroll: true });
  const s = steps[step]!;
  editor.markStep(stepView(s, editor.text(), editor.line).line, reveal);
  void saveToUrl();
}

function renderHeaders(a: TraceAnswer): void {
  const t = a.trace;
  if (t === undefined) return fill(ui.headers);
  const shown = shownBranch(t);
  const nat = shown.steps.filter((s) => s.type === "nat");
  const rows = [
    h("li", {}, h("span", { class: "label" }, "as it starts"), h("code", {}, headerText(t.packet))),
    ...nat.map((s) =>
      h(
        "li",
        { class: "nat", "data-kind": s.kind, "data-hook": s.hook, "data-before": s.before, "data-after": s.after },
        h("span", { class: "label" }, `${s.kind.toUpperCase()} at ${s.hook}`),
        h("span", {}, h("code", { class: "before" }, s.before), h("span", { class: "to" }, " ⇒ "), h("code", { class: "after" }, s.after)),
      ),
    ),
  ];
  const end = shown.egress ? [`leaving ${shown.egress.interface}`, shown.egress.packet] : shown.delivered ? ["delivered", shown.delivered.packet] : undefined;
  if (end) rows.push(h("li", {}, h("span", { class: "label" }, end[0] as string), h("code", {}, headerText(end[1] as typeof t.packet))));
  fill(ui.headers, h("h2", {}, "The header", h("small", {}, nat.length ? ` rewritten ${plural(nat.length, "time")} by NAT` : " no NAT on this path")), h("ul", { class: "header-list" }, ...rows));
}

function renderConntrack(a: TraceAnswer): void {
  const t = a.trace;
  if (t === undefined) return fill(ui.conntrack);
  const states = (steps: readonly Step[]) => steps.filter((s) => s.type === "conntrack");
  const first = states(shownBranch(t).steps);
  const reply = a.reply ? states(a.reply.steps) : [];
  const line = (who: string, s: Extract<Step, { type: "conntrack" }>) => h("li", {}, h("span", { class: "label" }, who), h("span", {}, h("span", { class: "state" }, s.state), ` ${s.detail}`));
  fill(
    ui.conntrack,
    h("h2", {}, "Connection tracking"),
    h(
      "ul",
      { class: "ct-list" },
      ...first.map((s) => line("the packet", s)),
      ...reply.map((s) => line("its reply", s)),
      first.length === 0 ? h("li", {}, h("span", { class: "label" }, "the packet"), "meets no connection tracking on this path") : undefined,
    ),
    whyAnswer?.why?.answer.conntrack ? h("p", { class: "hint" }, whyAnswer.why.answer.conntrack) : undefined,
  );
}

function renderReply(a: TraceAnswer): void {
  const r = a.reply;
  if (r === undefined) {
    const reached = a.trace && (REACHED.has(a.trace.outcome) || (a.trace.branches?.some((b) => REACHED.has(b.outcome)) ?? false));
    fill(ui.reply, h("h2", {}, "The reply"), reached === false ? h("p", { class: "hint" }, "The packet does not get through, so there is no connection and no reply.") : undefined);
    return;
  }
  const from = "interface" in r.ingress ? `arriving on ${r.ingress.interface}` : "sent by the host";
  const follow = h("button", { type: "button", class: "follow" }, view === "reply" ? "Back to the packet's path" : "Follow the reply step by step");
  follow.addEventListener("click", () => setView(view === "reply" ? "packet" : "reply"));
  fill(
    ui.reply,
    h("h2", {}, "The reply", h("small", {}, " the connection's answer, its NAT undone")),
    h("p", { class: "reply-head", id: "reply-outcome", "data-outcome": r.outcome }, h("code", {}, headerText(r.packet)), ` ${from}: `, h("strong", {}, r.outcome), ` — ${r.reason}`),
    follow,
  );
}

function setView(next: View): void {
  if (next === "reply" && answer?.reply === undefined) return;
  view = next;
  step = 0;
  render();
  ui.steps.closest(".card")?.scrollIntoView({ block: "nearest" });
}

function renderWhy(): void {
  const title = h("h2", {}, "Why", h("small", {}, " nfwalk why, in plain words"));
  if (answer?.trace === undefined) return fill(ui.why);
  if (whyAnswer === undefined) return fill(ui.why, title, h("p", { class: "hint", id: "why-pending" }, "Working out why, and proving fixes by tracing with them…"));
  const w = whyAnswer.why;
  if (w === undefined) return fill(ui.why);
  fill(ui.why, title, h("p", { class: "why-answer", id: "why-answer" }, w.answer.answer), h("pre", { class: "why-text" }, w.text));
}

let saves = 0;

/** Writes the lesson into the fragment; of saves overtaking one another (compression is asynchronous) the latest wins. */
async function saveToUrl(): Promise<void> {
  const mine = ++saves;
  const hash = await encodeState({ lesson: lesson(), step, branch, view });
  if (mine !== saves) return;
  if (hash !== location.hash) history.replaceState(null, "", hash);
  // Which step the link now holds, for whoever waits for it (the browser tests).
  document.body.dataset["linkedStep"] = String(step);
}

// Keyboard: ← → (or j k) step through the path unless the focus is where typing goes.
document.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement;
  if (target.closest("input, textarea, select, .cm-editor") || event.altKey || event.ctrlKey || event.metaKey) return;
  const moves: Record<string, number> = { ArrowRight: 1, j: 1, ArrowLeft: -1, k: -1 };
  if (event.key in moves) goToStep(step + moves[event.key]!, true);
  else if (event.key === "Home") goToStep(0, true);
  else if (event.key === "End") goToStep(stepsShown().length - 1, true);
  else return;
  event.preventDefault();
});
ui.back.addEventListener("click", () => goToStep(step - 1, true));
ui.viewPacket.addEventListener("click", () => setView("packet"));
ui.viewReply.addEventListener("click", () => setView("reply"));
ui.forward.addEventListener("click", () => goToStep(step + 1, true));

fill(ui.gallery, ...gallery.map((e) => h("option", { value: e.id }, e.title)));
ui.gallery.addEventListener("change", () => {
  const example = gallery.find((e) => e.id === ui.gallery.value);
  if (example === undefined) return;
  ui.lesson.textContent = example.lesson;
  load(example);
});

ui.share.addEventListener("click", async () => {
  await saveToUrl();
  await navigator.clipboard?.writeText(location.href).catch(() => undefined);
  ui.share.textContent = "Link copied";
  setTimeout(() => (ui.share.textContent = "Copy link"), 1500);
});

/** Files `nfwalk playground --rules FILE` serves beside the page; a static host has none. */
async function preloaded(): Promise<Lesson | undefined> {
  try {
    const response = await fetch("./preload.json");
    if (!response.ok) return undefined;
    const files = (await response.json()) as { name: string; text: string }[];
    const first = files[0];
    if (first === undefined) return undefined;
    ui.gallery.prepend(...files.map((f, i) => h("option", { value: `file:${i}` }, `your file: ${f.name}`)));
    ui.gallery.addEventListener("change", () => {
      const file = ui.gallery.value.startsWith("file:") ? files[Number(ui.gallery.value.slice(5))] : undefined;
      if (file) load({ ...lesson(), rulesName: file.name, rules: file.text });
    });
    ui.gallery.value = "file:0";
    ui.lesson.textContent = "Your rules, with nfwalk's assumed host; change the packet and watch its path.";
    // The host nfwalk assumes has the uplink eth0 at 10.0.0.1/24 (README): a client there asking for ssh.
    return { rulesName: first.name, rules: first.text, addr: "", route: "", sysctls: "", packet: "tcp 10.0.0.2:40000 -> 10.0.0.1:22", from: "eth0" };
  } catch {
    return undefined;
  }
}

async function start(): Promise<void> {
  const fromLink = await decodeState(location.hash);
  const files = await preloaded();
  if (fromLink) {
    ui.gallery.value = "";
    ui.lesson.textContent = "A lesson from a link.";
    return load(fromLink.lesson, fromLink);
  }
  if (files) return load(files);
  const example = gallery[0]!;
  ui.gallery.value = example.id;
  ui.lesson.textContent = example.lesson;
  load(example);
}

void start();
