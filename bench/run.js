#!/usr/bin/env node
// nfwalk benchmarks. `npm run bench` (builds first), or directly:
//
//   node bench/run.js [--services N] [--endpoints M] [--rounds K] [--only NAME,...]
//
// Generates a kube-proxy iptables-save dump (bench/gen-kube-proxy.js, cached in
// bench/.cache/) and measures, in the same run, `iptables-restore --test`,
// `nfwalk fmt` and `nfwalk trace --batch` on it. The commands take turns
// (round 1: A B C, round 2: B C A, …) so that load from other processes falls
// on all of them alike; each is reported by its median wall time and its median
// CPU time (user + sys of the process, from its resource usage), and nfwalk by
// the ratios of those medians to iptables-restore's. On a busy machine the CPU
// ratio is the steadier one; the goals are judged on wall time. Goals are
// reported as PASS/FAIL; the exit code is 0 either way (1 only if the harness
// itself breaks).
//
// Adding a benchmark: append a Subject (a command to time) to SUBJECTS and, if
// it has outputs to check, a function (ctx) => Row[] to CHECKS.

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateBatch } from "./gen-batch.js";
import { generateExpectations } from "./gen-expectations.js";
import { generate } from "./gen-kube-proxy.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const CACHE_DIR = join(BENCH_DIR, ".cache");
const NFWALK = join(ROOT, "bin", "nfwalk.js");
const GNU_TIME = "/usr/bin/time";
const HAVE_GNU_TIME = existsSync(GNU_TIME);

/** Packets in the trace benchmark's batch. */
const TRACE_PACKETS = 2000;

/**
 * One line of the report.
 * @typedef {object} Row
 * @property {string} bench   benchmark name
 * @property {string} measure what was measured
 * @property {string} value   formatted value ('—' if skipped)
 * @property {string} [goal]  the goal, if there is one
 * @property {boolean|null} [pass] goal met? null/undefined: no goal or not measurable
 * @property {string} [note]
 */

/**
 * @typedef {object} Dump
 * @property {string} path
 * @property {number} bytes
 * @property {number} rules
 * @property {number} services
 * @property {number} endpoints  KUBE-SEP chains
 * @property {number} perService endpoints per service port requested
 */

/**
 * @typedef {object} Ctx
 * @property {Dump} dump
 * @property {number} rounds  how many times each command runs
 * @property {string} tmp     scratch directory (removed at the end)
 * @property {string} batch   the trace benchmark's packets (a file in tmp)
 * @property {{before: string, after: string, line: number}} [tum] the diff benchmark's dumps
 */

/**
 * One measured run of a command.
 * @typedef {object} Sample
 * @property {number} wallMs
 * @property {number} cpuMs   user + sys of the command's process(es)
 * @property {number} rssKiB  peak resident set size (NaN if unknown)
 */

/**
 * A command to time. `command` returns what to run (or a reason it cannot run
 * here); `accept` says whether an exit code is a success.
 * @typedef {object} Subject
 * @property {string} name
 * @property {string} label  how the report names it
 * @property {(ctx: Ctx) => {cmd: string, args: string[], node?: boolean} | {skip: string}} command
 * @property {(code: number) => boolean} accept
 * @property {() => void} [before] run untimed before each timed run (a fresh namespace)
 * @property {() => void} [after]
 */

// ---------------------------------------------------------------------------
// helpers

/** @param {string} cmd */
function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Run a command, stdout to /dev/null (or a file), stderr captured.
 * @param {string} cmd @param {string[]} args
 * @param {{stdout?: string}} [opts]
 * @returns {Promise<{code: number|null, signal: string|null, ms: number, stderr: string}>}
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const out = openSync(opts.stdout ?? "/dev/null", "w");
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", out, "pipe"], cwd: ROOT });
    let stderr = "";
    const err = /** @type {import('node:stream').Readable} */ (child.stderr);
    err.setEncoding("utf8");
    err.on("data", (d) => {
      if (stderr.length < 64_000) stderr += d;
    });
    child.on("error", (e) => {
      closeSync(out);
      reject(e);
    });
    child.on("close", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      closeSync(out);
      resolve({ code, signal, ms, stderr });
    });
  });
}

/**
 * Run a command once and measure it: wall time here; CPU time and peak RSS
 * from the kernel's resource usage of the child, through /usr/bin/time when
 * present. Without it, a node script runs in-process under bench/measure.js
 * (which reads process.resourceUsage()), any other command under `sh` whose
 * `times` gives its children's CPU time (and no RSS).
 * @param {string} tmp @param {{cmd: string, args: string[], node?: boolean}} c
 */
async function measure(tmp, c) {
  const usageFile = join(tmp, `usage-${process.hrtime.bigint()}`);
  const r = HAVE_GNU_TIME
    ? await run(GNU_TIME, ["-f", "%U %S %M", "-o", usageFile, c.cmd, ...c.args])
    : c.node
      ? await run(process.execPath, [join(BENCH_DIR, "measure.js"), usageFile, ...c.args])
      : await run(
          "sh",
          ["-c", '"$@"; rc=$?; times > "$USAGE"; exit $rc', "sh", c.cmd, ...c.args].map((a) => a.replace("$USAGE", usageFile)),
        );
  let cpuMs = NaN,
    rssKiB = NaN;
  try {
    const text = readFileSync(usageFile, "utf8");
    if (HAVE_GNU_TIME || c.node) {
      // GNU time prefixes "Command exited with non-zero status N": take the last line.
      const [user, sys, rss] = text.trim().split("\n").at(-1).split(/\s+/).map(Number);
      cpuMs = (user + sys) * 1000;
      rssKiB = rss;
    } else {
      // `times`: the shell's own user and sys, then its children's, as 0m1.234s.
      const secs = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      cpuMs = ((secs[2] ?? NaN) + (secs[3] ?? NaN)) * 1000;
    }
  } catch {
    /* no file: crashed before exit */
  }
  return { ...r, sample: /** @type {Sample} */ ({ wallMs: r.ms, cpuMs, rssKiB }) };
}

/** @param {number[]} xs */
function median(xs) {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {number} ms */
const fmtSec = (ms) => (Number.isNaN(ms) ? "—" : `${(ms / 1000).toFixed(2)} s`);
/** @param {number} kib decimal MB */
const fmtMB = (kib) => (Number.isNaN(kib) ? "—" : `${((kib * 1024) / 1e6).toFixed(0)} MB`);
/** @param {number} r */
const fmtRatio = (r) => (Number.isNaN(r) ? "—" : `${r.toFixed(2)}×`);
/** @param {string} s first lines of stderr, table-safe */
const brief = (s) => s.trim().split("\n").slice(0, 2).join(" / ").replace(/\|/g, "\\|").slice(0, 200);

// ---------------------------------------------------------------------------
// the dump

/**
 * Generate (or reuse from bench/.cache) the kube-proxy dump.
 * @param {number} services @param {number} endpoints @returns {Dump}
 */
function prepareDump(services, endpoints) {
  const genSrc = readFileSync(join(BENCH_DIR, "gen-kube-proxy.js"));
  const key = createHash("sha256").update(genSrc).update(`${services}x${endpoints}`).digest("hex").slice(0, 12);
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `kube-proxy-${services}x${endpoints}.rules`);
  const metaPath = `${path}.json`;
  try {
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    if (meta.key === key && statSync(path).size === meta.bytes) return { path, ...meta };
  } catch {
    /* regenerate */
  }
  process.stderr.write(`generating ${relative(ROOT, path)} (${services} services × ${endpoints} endpoints)…\n`);
  const g = generate({ services, endpoints, seed: 1 });
  writeFileSync(path, g.text);
  const dump = { bytes: Buffer.byteLength(g.text), rules: g.rules, services: g.servicePorts, endpoints: g.endpoints, perService: endpoints };
  writeFileSync(metaPath, JSON.stringify({ key, ...dump }) + "\n");
  return { path, ...dump };
}

// ---------------------------------------------------------------------------
// what is timed

/** Network namespaces to delete if we are interrupted. @type {Set<string>} */
const activeNetns = new Set();

/** iptables-restore --test in a fresh network namespace for each run. @returns {Subject} */
function iptablesRestoreTest() {
  const ns = `nfwalk-bench-${process.pid}`;
  return {
    name: "iptables-restore",
    label: "`iptables-restore --test` (fresh netns)",
    command(ctx) {
      const ipt = which("iptables-restore");
      if (typeof process.getuid !== "function" || process.getuid() !== 0) return { skip: "not root (needs a network namespace)" };
      if (!ipt) return { skip: "iptables-restore not installed" };
      if (!which("ip")) return { skip: "`ip` (iproute2) not installed" };
      return { cmd: "ip", args: ["netns", "exec", ns, ipt, "--test", ctx.dump.path] };
    },
    accept: (code) => code === 0,
    before() {
      const add = spawnSync("ip", ["netns", "add", ns], { encoding: "utf8" });
      if (add.status !== 0) throw new Error(`ip netns add failed: ${brief(add.stderr)}`);
      activeNetns.add(ns);
    },
    after() {
      spawnSync("ip", ["netns", "del", ns]);
      activeNetns.delete(ns);
    },
  };
}

/** @param {string} name @param {string} label @param {(ctx: Ctx) => string[]} args @param {(code: number) => boolean} accept @returns {Subject} */
function nfwalk(name, label, args, accept) {
  return {
    name,
    label,
    command: (ctx) => (existsSync(NFWALK) ? { cmd: process.execPath, args: [NFWALK, ...args(ctx)], node: true } : { skip: "bin/nfwalk.js not found" }),
    accept,
  };
}

const fmtArgs = (/** @type {Ctx} */ ctx) => ["fmt", ctx.dump.path];
const reachArgs = (/** @type {Ctx} */ ctx) => ["reach", "--rules", ctx.dump.path, "--in", "eth0", "tcp any -> any"];

/** The 5,556-rule TUM firewall of the shared corpus, when it is there (found through its SOURCES.md). */
function tumDump() {
  // Beside the repository (../shared), or beside the work trees holding it (../../shared).
  for (const corpus of [join(ROOT, "..", "shared", "corpus", "real"), join(ROOT, "..", "..", "shared", "corpus", "real")]) {
    if (!existsSync(join(corpus, "SOURCES.md"))) continue;
    const name = /`(net-network__tum-chair-fw-2016-06\.rules)`/.exec(readFileSync(join(corpus, "SOURCES.md"), "utf8"))?.[1];
    if (name && existsSync(join(corpus, name))) return join(corpus, name);
  }
  return undefined;
}

/**
 * The TUM dump with one rule changed (the first ACCEPT of INPUT becomes DROP: what it
 * accepted, UNTRACKED packets among them, is now dropped), written to the scratch directory.
 * @param {string} tmp
 */
function tumChanged(tmp) {
  const path = tumDump();
  if (!path) return undefined;
  const lines = readFileSync(path, "utf8").split("\n");
  const at = lines.findIndex((l) => l.startsWith("-A INPUT") && l.endsWith("-j ACCEPT"));
  lines[at] = lines[at].replace(/-j ACCEPT$/, "-j DROP");
  const changed = join(tmp, "tum-one-rule-changed.rules");
  writeFileSync(changed, lines.join("\n"));
  return { before: path, after: changed, line: at + 1 };
}
const traceArgs = (/** @type {Ctx} */ ctx) => ["trace", "--rules", ctx.dump.path, "--batch", ctx.batch, "--json"];

/** Expectations in the check benchmark's file. */
const CHECK_EXPECTATIONS = 50;

/**
 * The check benchmark's EXPECTATIONS.yaml about the TUM firewall (bench/gen-expectations.js),
 * written to the scratch directory once.
 * @param {string} tmp
 */
function tumExpectations(tmp) {
  const rules = tumDump();
  if (!rules) return undefined;
  const file = join(tmp, "tum-expectations.yaml");
  if (!existsSync(file)) writeFileSync(file, generateExpectations(readFileSync(rules, "utf8"), rules, { count: CHECK_EXPECTATIONS }));
  return file;
}

/** @type {Subject[]} */
const SUBJECTS = [
  iptablesRestoreTest(),
  nfwalk("fmt", "`nfwalk fmt > /dev/null` (load + print)", fmtArgs, (code) => code === 0),
  // Exit codes 0, 1 and 3 are outcomes (delivered / dropped / undetermined), not failures.
  nfwalk("trace", `\`nfwalk trace --batch\`, ${TRACE_PACKETS} packets, \`--json > /dev/null\` (load + trace)`, traceArgs, (code) => code <= 1 || code === 3),
  nfwalk("reach", "`nfwalk reach --in eth0 'tcp any -> any'` (load + every packet)", reachArgs, (code) => code === 0),
  {
    name: "diff",
    label: "`nfwalk diff` of the TUM firewall (5,556 rules) against itself with one rule changed, every interface and local",
    command: (ctx) => (ctx.tum ? { cmd: process.execPath, args: [NFWALK, "diff", ctx.tum.before, ctx.tum.after], node: true } : { skip: "the shared corpus (../shared/corpus/real) is not here" }),
    // 1: the dumps differ, as they should.
    accept: (code) => code === 1,
  },
  {
    name: "lint",
    label: "`nfwalk lint` of the TUM firewall (5,556 rules)",
    command: (ctx) => (ctx.tum ? { cmd: process.execPath, args: [NFWALK, "lint", ctx.tum.before], node: true } : { skip: "the shared corpus (../shared/corpus/real) is not here" }),
    // 1: it has shadowed rules.
    accept: (code) => code === 1,
  },
  {
    name: "check",
    label: `\`nfwalk check\` of ${CHECK_EXPECTATIONS} expectations (every outcome kind) on the TUM firewall (5,556 rules)`,
    command: (ctx) => {
      const file = tumExpectations(ctx.tmp);
      return file ? { cmd: process.execPath, args: [NFWALK, "check", file], node: true } : { skip: "the shared corpus (../shared/corpus/real) is not here" };
    },
    // 0, 1 and 3 are answers: all hold, one fails, some undetermined.
    accept: (code) => code <= 1 || code === 3,
  },
];

/** Wall-time goals of the set commands (seconds). */
const WALL_GOALS = { reach: 10, diff: 2, lint: 3, check: 3 };

/**
 * Every subject `rounds` times, taking turns; the first subject to fail or be
 * unable to run is not run again.
 * @param {Ctx} ctx @param {Subject[]} subjects
 * @returns {Promise<Map<string, {samples: Sample[], problem?: string}>>}
 */
async function timeAll(ctx, subjects) {
  /** @type {Map<string, {samples: Sample[], problem?: string}>} */
  const results = new Map(subjects.map((s) => [s.name, { samples: [] }]));
  for (let round = 0; round < ctx.rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const subject = /** @type {Subject} */ (subjects[(round + k) % subjects.length]);
      const result = /** @type {{samples: Sample[], problem?: string}} */ (results.get(subject.name));
      if (result.problem) continue;
      const c = subject.command(ctx);
      if ("skip" in c) {
        console.error(`skipping ${subject.name}: ${c.skip}`);
        result.problem = `skipped: ${c.skip}`;
        continue;
      }
      process.stderr.write(`round ${round + 1}/${ctx.rounds}: ${subject.name}…\n`);
      try {
        subject.before?.();
        const r = await measure(ctx.tmp, c);
        if (r.code === null || !subject.accept(r.code)) result.problem = `failed (exit ${r.code ?? r.signal}): ${brief(r.stderr)}`;
        else result.samples.push(r.sample);
      } catch (e) {
        result.problem = `skipped: ${e instanceof Error ? e.message : e}`;
      } finally {
        subject.after?.();
      }
    }
  }
  return results;
}

// ---------------------------------------------------------------------------
// checks of what nfwalk printed (untimed runs)

/** @param {Ctx} ctx @returns {Promise<Row[]>} */
async function checkFmt(ctx) {
  const row = { bench: "fmt", measure: "output = input (the dump is canonical; `#` lines ignored)", goal: "identical" };
  const outFile = join(ctx.tmp, "fmt.out");
  await run(process.execPath, [NFWALK, ...fmtArgs(ctx)], { stdout: outFile });
  const strip = (/** @type {string} */ s) => s.split("\n").filter((l) => !l.startsWith("#"));
  const want = strip(readFileSync(ctx.dump.path, "utf8"));
  const got = strip(readFileSync(outFile, "utf8"));
  let firstDiff = -1;
  for (let i = 0; i < Math.max(want.length, got.length); i++)
    if (want[i] !== got[i]) {
      firstDiff = i;
      break;
    }
  return [
    {
      ...row,
      value: firstDiff < 0 ? "identical" : "differs",
      pass: firstDiff < 0,
      note:
        firstDiff < 0
          ? undefined
          : `first difference at non-# line ${firstDiff + 1}: want \`${(want[firstDiff] ?? "<EOF>").slice(0, 80)}\`, got \`${(got[firstDiff] ?? "<EOF>").slice(0, 80)}\``.replace(/\|/g, "\\|"),
    },
  ];
}

/** @param {Ctx} ctx @returns {Promise<Row[]>} */
async function checkTrace(ctx) {
  const outFile = join(ctx.tmp, "trace.out");
  await run(process.execPath, [NFWALK, ...traceArgs(ctx)], { stdout: outFile });
  const text = readFileSync(outFile, "utf8");
  const traces = text.split("\n").filter((l) => l.length > 0);
  /** @type {Record<string, number>} */
  const outcomes = {};
  for (const t of traces) {
    const o = JSON.parse(t).outcome ?? "error";
    outcomes[o] = (outcomes[o] ?? 0) + 1;
  }
  const summary = Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  // The digest tells at a glance whether a change altered any trace.
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
  return [
    {
      bench: "trace",
      measure: "one JSON trace per packet",
      value: `${traces.length} / ${TRACE_PACKETS}`,
      goal: `${TRACE_PACKETS}`,
      pass: traces.length === TRACE_PACKETS,
      note: `${summary}; output sha256 ${digest}…`,
    },
  ];
}

/** @type {Record<string, (ctx: Ctx) => Promise<Row[]>>} */
/**
 * How `reach` grows with the rules: kube-proxy dumps of about 1k, 10k and 100k
 * rules, one run each (CPU time, which load from other processes disturbs least).
 * @param {Ctx} ctx @returns {Promise<Row[]>}
 */
async function checkReachGrowth(ctx) {
  /** @type {Row[]} */
  const rows = [];
  for (const services of [120, 1200, 12000]) {
    const dump = prepareDump(services, ctx.dump.perService);
    const r = await measure(ctx.tmp, { cmd: process.execPath, args: [NFWALK, "reach", "--rules", dump.path, "--in", "eth0", "tcp any -> any"], node: true });
    rows.push({
      bench: "reach",
      measure: `growth: ${dump.rules.toLocaleString("en-US")} rules, CPU time (wall)`,
      value: `${fmtSec(r.sample.cpuMs)} (${fmtSec(r.sample.wallMs)})`,
      note: `${((r.sample.cpuMs * 1000) / dump.rules).toFixed(0)} µs CPU a rule, load included; peak RSS ${fmtMB(r.sample.rssKiB)}${r.code === 0 ? "" : `; exit ${r.code}`}`,
    });
  }
  return rows;
}

/** @param {Ctx} ctx @returns {Promise<Row[]>} */
async function checkDiff(ctx) {
  if (!ctx.tum) return [];
  const outFile = join(ctx.tmp, "diff.out");
  const r = await run(process.execPath, [NFWALK, "diff", ctx.tum.before, ctx.tum.after, "--json"], { stdout: outFile });
  const { differences } = JSON.parse(readFileSync(outFile, "utf8"));
  return [
    {
      bench: "diff",
      measure: `differences found (line ${ctx.tum.line} changed from ACCEPT to DROP)`,
      value: String(differences.length),
      goal: "≥ 1, exit 1",
      pass: differences.length > 0 && r.code === 1,
    },
  ];
}

/** @param {Ctx} ctx @returns {Promise<Row[]>} */
async function checkLint(ctx) {
  if (!ctx.tum) return [];
  const outFile = join(ctx.tmp, "lint.out");
  const r = await run(process.execPath, [NFWALK, "lint", ctx.tum.before, "--json"], { stdout: outFile });
  const { findings } = JSON.parse(readFileSync(outFile, "utf8"));
  const shadowed = findings.filter((/** @type {{code: string}} */ f) => f.code === "NF101").length;
  return [{ bench: "lint", measure: `findings (${shadowed} shadowed rules)`, value: String(findings.length), goal: "≥ 1 shadowed, exit 1", pass: shadowed > 0 && r.code === 1 }];
}

/** @param {Ctx} ctx @returns {Promise<Row[]>} */
async function checkCheck(ctx) {
  const file = tumExpectations(ctx.tmp);
  if (!file) return [];
  const outFile = join(ctx.tmp, "check.out");
  await run(process.execPath, [NFWALK, "check", file, "--json"], { stdout: outFile });
  const { expectations, summary } = JSON.parse(readFileSync(outFile, "utf8"));
  return [
    {
      bench: "check",
      measure: "expectations decided",
      value: `${expectations.length} (${summary.passed} hold, ${summary.failed} fail, ${summary.undetermined} undetermined)`,
      goal: `${CHECK_EXPECTATIONS}`,
      pass: expectations.length === CHECK_EXPECTATIONS,
    },
  ];
}

const CHECKS = { fmt: checkFmt, trace: checkTrace, reach: checkReachGrowth, diff: checkDiff, lint: checkLint, check: checkCheck };

// ---------------------------------------------------------------------------
// the report

/** Peak RSS goal for nfwalk, decimal MB. */
const RSS_GOAL_MB = 300;

/**
 * @param {Map<string, {samples: Sample[], problem?: string}>} results
 * @returns {Row[]}
 */
function timingRows(results) {
  const base = results.get("iptables-restore");
  const baseWall = base ? median(base.samples.map((s) => s.wallMs)) : NaN;
  const baseCpu = base ? median(base.samples.map((s) => s.cpuMs)) : NaN;
  /** @type {Row[]} */
  const rows = [];
  for (const subject of SUBJECTS.filter((s) => results.has(s.name))) {
    const r = /** @type {{samples: Sample[], problem?: string}} */ (results.get(subject.name));
    const n = r.samples.length;
    const wall = median(r.samples.map((s) => s.wallMs));
    const cpu = median(r.samples.map((s) => s.cpuMs));
    const rss = Math.max(...r.samples.map((s) => s.rssKiB));
    const spread = n > 1 ? ` (${fmtSec(Math.min(...r.samples.map((s) => s.wallMs)))}–${fmtSec(Math.max(...r.samples.map((s) => s.wallMs)))})` : "";
    const note = r.problem ?? `${n} run${n === 1 ? "" : "s"}${spread}`;
    const bench = subject.name === "iptables-restore" ? "baseline" : subject.name;
    rows.push({ bench, measure: `${subject.label}: median wall time`, value: fmtSec(wall), note });
    rows.push({ bench, measure: `${subject.label}: median CPU time (user + sys)`, value: fmtSec(cpu) });
    if (subject.name === "iptables-restore") continue;
    if (subject.name in WALL_GOALS) {
      const goal = WALL_GOALS[/** @type {keyof typeof WALL_GOALS} */ (subject.name)];
      rows.push({
        bench,
        measure: "median wall time against the goal",
        value: fmtSec(wall),
        goal: `< ${goal} s`,
        pass: Number.isNaN(wall) ? null : wall < goal * 1000,
        note: "judged on wall time; see the CPU time above on a busy machine",
      });
      // The memory goal is diff's, lint's and check's; reach's peak is reported.
      rows.push({
        bench,
        measure: "peak RSS (highest run)",
        value: fmtMB(rss),
        ...(subject.name !== "reach" && { goal: `< ${RSS_GOAL_MB} MB`, pass: Number.isNaN(rss) ? null : (rss * 1024) / 1e6 < RSS_GOAL_MB }),
      });
      continue;
    }
    const wallRatio = wall / baseWall,
      cpuRatio = cpu / baseCpu;
    const noBase = Number.isNaN(baseWall) ? "no iptables-restore time to compare" : undefined;
    rows.push({
      bench,
      measure: "ratio of median wall times to iptables-restore --test",
      value: fmtRatio(wallRatio),
      goal: "≤ 1.00×",
      pass: Number.isNaN(wallRatio) ? null : wallRatio <= 1,
      note: noBase,
    });
    rows.push({ bench, measure: "ratio of median CPU times to iptables-restore --test", value: fmtRatio(cpuRatio), note: "steadier than wall time on a busy machine" });
    const rssMB = (rss * 1024) / 1e6;
    rows.push({
      bench,
      measure: `peak RSS (${HAVE_GNU_TIME ? "/usr/bin/time %M" : "in-process maxRSS, bench/measure.js"}; highest run)`,
      value: fmtMB(rss),
      goal: `≤ ${RSS_GOAL_MB} MB`,
      pass: Number.isNaN(rssMB) ? null : rssMB <= RSS_GOAL_MB,
    });
  }
  return rows;
}

/** @param {Row[]} rows */
function printTable(rows) {
  const lines = ["| benchmark | measure | value | goal | result | notes |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    const result = r.pass === true ? "**PASS**" : r.pass === false ? "**FAIL**" : "";
    lines.push(`| ${r.bench} | ${r.measure} | ${r.value} | ${r.goal ?? ""} | ${result} | ${r.note ?? ""} |`);
  }
  console.log(lines.join("\n"));
  const goals = rows.filter((r) => r.pass === true || r.pass === false);
  const failed = goals.filter((r) => r.pass === false);
  const unmeasured = rows.filter((r) => r.goal && (r.pass === null || r.pass === undefined));
  console.log(
    `\n${goals.length - failed.length}/${goals.length} goals met` +
      (failed.length ? `; FAILED: ${failed.map((r) => `${r.bench} ${r.measure}`).join("; ")}` : "") +
      (unmeasured.length ? `; not measured: ${unmeasured.length}` : ""),
  );
}

/**
 * The figures README "Benchmarks" quotes, in its table's layout, so that
 * updating it is a copy.
 * @param {Map<string, {samples: Sample[], problem?: string}>} results @param {Row[]} checks
 */
function printReadmeRows(results, checks) {
  const m = (/** @type {string} */ name, /** @type {'wallMs'|'cpuMs'} */ key) => median((results.get(name)?.samples ?? []).map((s) => s[key]));
  const rss = (/** @type {string} */ name) => Math.max(...(results.get(name)?.samples ?? []).map((s) => s.rssKiB));
  const iptWall = m("iptables-restore", "wallMs"),
    iptCpu = m("iptables-restore", "cpuMs");
  console.log('\nFor README "Benchmarks":\n');
  console.log("| measure | nfwalk | `iptables-restore --test` | ratio | goal |");
  console.log("|---|---|---|---|---|");
  for (const [name, what] of /** @type {const} */ ([
    ["fmt", "`nfwalk fmt`: load + print"],
    ["trace", `\`nfwalk trace --batch\`, ${TRACE_PACKETS.toLocaleString("en-US")} packets, \`--json\`: load + trace`],
  ])) {
    if (!results.has(name)) continue;
    const wall = m(name, "wallMs"),
      cpu = m(name, "cpuMs");
    console.log(`| ${what}, wall time | ${fmtSec(wall)} | ${fmtSec(iptWall)} | ${fmtRatio(wall / iptWall)} | ≤ 1.00× |`);
    console.log(`| ${what}, CPU time | ${fmtSec(cpu)} | ${fmtSec(iptCpu)} | ${fmtRatio(cpu / iptCpu)} | |`);
    console.log(`| ${what}, peak RSS | ${fmtMB(rss(name))} | | | ≤ ${RSS_GOAL_MB} MB |`);
  }
  for (const c of checks) console.log(`| \`nfwalk ${c.bench}\` ${c.measure} | ${c.value} | | | ${c.goal ?? ""} |`);
}

// ---------------------------------------------------------------------------
// main

for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(sig, () => {
    for (const ns of activeNetns) spawnSync("ip", ["netns", "del", ns]);
    process.exit(130);
  });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{services: number, endpoints: number, rounds: number, only: string[]|null}} */
  const o = { services: 20000, endpoints: 2, rounds: 5, only: null };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(services|endpoints|rounds|only)(?:=(.*))?$/.exec(argv[i] ?? "");
    if (!m) throw new Error(`unknown argument: ${argv[i]} (usage: run.js [--services N] [--endpoints M] [--rounds K] [--only fmt,trace])`);
    const val = m[2] ?? argv[++i];
    if (val === undefined) throw new Error(`--${m[1]} needs a value`);
    if (m[1] === "only") o.only = val.split(",");
    else {
      const n = Number(val);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${m[1]}: not a positive integer: ${val}`);
      o[/** @type {'services'|'endpoints'|'rounds'} */ (m[1])] = n;
    }
  }
  return o;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dump = prepareDump(opts.services, opts.endpoints);
  const tmp = mkdtempSync(join(tmpdir(), "nfwalk-bench-"));
  // ClusterIPs and NodePorts of the generated services (tcp/udp), from eth0 and local, some to nothing.
  const batch = join(tmp, "batch.jsonl");
  writeFileSync(batch, generateBatch(readFileSync(dump.path, "utf8"), { packets: TRACE_PACKETS, seed: 1 }).text);
  /** @type {Ctx} */
  const tum = tumChanged(tmp);
  const ctx = { dump, rounds: opts.rounds, tmp, batch, ...(tum && { tum }) };
  // The baseline always runs: the ratios need it.
  const subjects = SUBJECTS.filter((s) => !opts.only || s.name === "iptables-restore" || opts.only.includes(s.name));
  if (!HAVE_GNU_TIME) console.error(`${GNU_TIME} not found (Debian package \`time\`): nfwalk is measured in-process by bench/measure.js, iptables-restore's CPU time by sh's \`times\``);
  /** @type {Row[]} */
  const checks = [];
  let results;
  try {
    results = await timeAll(ctx, subjects);
    for (const s of subjects) {
      const check = CHECKS[s.name];
      if (check && !results.get(s.name)?.problem) checks.push(...(await check(ctx)));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const input = {
    bench: "input",
    measure: `kube-proxy dump (${dump.services} service ports × ${dump.perService} endpoints)`,
    value: `${(dump.bytes / 1e6).toFixed(1)} MB, ${dump.rules.toLocaleString("en-US")} rules`,
    note: relative(ROOT, dump.path),
  };
  const version = spawnSync("iptables-restore", ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "iptables-restore not found";
  console.log(`\n## nfwalk benchmarks (node ${process.version}, ${version}, ${opts.rounds} rounds, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)\n`);
  const rows = [input, ...timingRows(new Map([...results].filter(([k]) => subjects.some((s) => s.name === k)))), ...checks];
  printTable(rows);
  printReadmeRows(results, checks);
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
