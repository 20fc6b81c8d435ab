#!/usr/bin/env node
// nfwalk benchmarks. `npm run bench` (builds first), or directly:
//
//   node bench/run.js [--services N] [--endpoints M] [--runs K] [--only NAME,...]
//
// Generates a kube-proxy iptables-save dump (bench/gen-kube-proxy.js, cached in
// bench/.cache/), runs every benchmark in BENCHMARKS against it and prints one
// markdown table. Goals are reported as PASS/FAIL; the exit code is 0 either
// way (1 only if the harness itself breaks).
//
// Adding a benchmark: write an async function (ctx) => Row[] and append it to
// BENCHMARKS at the bottom. ctx gives the dump, helpers to time commands and
// results of earlier benchmarks (ctx.results) to compare against.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBatch } from './gen-batch.js';
import { generate } from './gen-kube-proxy.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const CACHE_DIR = join(BENCH_DIR, '.cache');
const NFWALK = join(ROOT, 'bin', 'nfwalk.js');
const GNU_TIME = '/usr/bin/time';

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
 * @property {number} runs                 repetitions for best-of timing
 * @property {string} tmp                  scratch directory (removed at the end)
 * @property {Record<string, any>} results values earlier benchmarks stored
 */

/** @typedef {{name: string, run: (ctx: Ctx) => Promise<Row[]>}} Benchmark */

// ---------------------------------------------------------------------------
// helpers

/** @param {string} cmd */
function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
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
    const out = openSync(opts.stdout ?? '/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', out, 'pipe'], cwd: ROOT });
    let stderr = '';
    const err = /** @type {import('node:stream').Readable} */ (child.stderr);
    err.setEncoding('utf8');
    err.on('data', (d) => { if (stderr.length < 64_000) stderr += d; });
    child.on('error', (e) => { closeSync(out); reject(e); });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      closeSync(out);
      resolve({ code, signal, ms, stderr });
    });
  });
}

/**
 * Run a node script, measuring wall time and peak RSS (KiB): under
 * /usr/bin/time when present, else in-process via bench/measure.js.
 * @param {string} tmp @param {string} script @param {string[]} args
 * @param {{stdout?: string}} [opts]
 */
async function runNodeMeasured(tmp, script, args, opts = {}) {
  const rssFile = join(tmp, `rss-${process.hrtime.bigint()}`);
  const r = HAVE_GNU_TIME
    ? await run(GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, script, ...args], opts)
    : await run(process.execPath, [join(BENCH_DIR, 'measure.js'), rssFile, script, ...args], opts);
  let rssKiB = NaN;
  try {
    // GNU time prefixes "Command exited with non-zero status N" lines; take the last number.
    const nums = readFileSync(rssFile, 'utf8').trim().split(/\s+/).filter((s) => /^\d+$/.test(s));
    rssKiB = Number(nums.at(-1));
  } catch { /* no file: crashed before exit */ }
  return { ...r, rssKiB };
}

/** @param {number} ms */
const fmtSec = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** @param {number} kib decimal MB */
const fmtMB = (kib) => `${((kib * 1024) / 1e6).toFixed(0)} MB`;
/** @param {string} s first lines of stderr, table-safe */
const brief = (s) => s.trim().split('\n').slice(0, 2).join(' / ').replace(/\|/g, '\\|').slice(0, 200);

const HAVE_GNU_TIME = existsSync(GNU_TIME);

// ---------------------------------------------------------------------------
// the dump

/**
 * Generate (or reuse from bench/.cache) the kube-proxy dump.
 * @param {number} services @param {number} endpoints @returns {Dump}
 */
function prepareDump(services, endpoints) {
  const genSrc = readFileSync(join(BENCH_DIR, 'gen-kube-proxy.js'));
  const key = createHash('sha256').update(genSrc).update(`${services}x${endpoints}`).digest('hex').slice(0, 12);
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `kube-proxy-${services}x${endpoints}.rules`);
  const metaPath = `${path}.json`;
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.key === key && statSync(path).size === meta.bytes) return { path, ...meta };
  } catch { /* regenerate */ }
  process.stderr.write(`generating ${relative(ROOT, path)} (${services} services × ${endpoints} endpoints)…\n`);
  const g = generate({ services, endpoints, seed: 1 });
  writeFileSync(path, g.text);
  const dump = { bytes: Buffer.byteLength(g.text), rules: g.rules, services: g.servicePorts, endpoints: g.endpoints, perService: endpoints };
  writeFileSync(metaPath, JSON.stringify({ key, ...dump }) + '\n');
  return { path, ...dump };
}

// ---------------------------------------------------------------------------
// benchmarks

/** @type {Benchmark} */
const inputInfo = {
  name: 'input',
  async run({ dump }) {
    return [{
      bench: 'input',
      measure: `kube-proxy dump (${dump.services} service ports × ${dump.perService} endpoints)`,
      value: `${(dump.bytes / 1e6).toFixed(1)} MB, ${dump.rules.toLocaleString('en-US')} rules`,
      note: relative(ROOT, dump.path),
    }];
  },
};

/** @type {Benchmark} */
const iptablesRestoreTest = {
  name: 'iptables-restore',
  async run(ctx) {
    const row = { bench: 'fmt', measure: `iptables-restore --test (fresh netns, best of ${ctx.runs})` };
    const ipt = which('iptables-restore');
    const ip = which('ip');
    /** @type {string|null} */
    let why = null;
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) why = 'not root (needs a network namespace)';
    else if (!ipt) why = 'iptables-restore not installed';
    else if (!ip) why = '`ip` (iproute2) not installed';
    if (why) {
      console.error(`skipping iptables-restore --test: ${why}`);
      return [{ ...row, value: '—', note: `skipped: ${why}` }];
    }
    const version = spawnSync(/** @type {string} */ (ipt), ['--version'], { encoding: 'utf8' }).stdout.trim();
    let best = Infinity;
    for (let i = 0; i < ctx.runs; i++) {
      const ns = `nfwalk-bench-${process.pid}-${i}`;
      const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
      if (add.status !== 0) {
        const msg = `ip netns add failed: ${brief(add.stderr)}`;
        console.error(`skipping iptables-restore --test: ${msg}`);
        return [{ ...row, value: '—', note: `skipped: ${msg}` }];
      }
      activeNetns.add(ns);
      try {
        const r = await run('ip', ['netns', 'exec', ns, /** @type {string} */ (ipt), '--test', ctx.dump.path]);
        if (r.code !== 0) return [{ ...row, value: '—', note: `failed (exit ${r.code}): ${brief(r.stderr)}` }];
        best = Math.min(best, r.ms);
      } finally {
        spawnSync('ip', ['netns', 'del', ns]);
        activeNetns.delete(ns);
      }
    }
    ctx.results.iptablesRestoreMs = best;
    return [{ ...row, value: fmtSec(best), note: version }];
  },
};

/** @type {Benchmark} */
const nfwalkFmt = {
  name: 'fmt',
  async run(ctx) {
    const rowT = { bench: 'fmt', measure: `nfwalk fmt > /dev/null (best of ${ctx.runs})`, goal: '≤ iptables-restore --test' };
    const rowRatio = { bench: 'fmt', measure: 'ratio nfwalk fmt / iptables-restore --test', goal: '≤ 1.00' };
    const rowRss = {
      bench: 'fmt', measure: `nfwalk fmt peak RSS (${HAVE_GNU_TIME ? '/usr/bin/time %M' : 'in-process maxRSS, bench/measure.js'})`,
      goal: '< 600 MB',
    };
    const rowOut = { bench: 'fmt', measure: 'nfwalk fmt output = input (dump is canonical; # lines ignored)', goal: 'identical' };
    if (!existsSync(NFWALK)) {
      const note = 'skipped: bin/nfwalk.js not found';
      console.error(`skipping nfwalk fmt: ${note}`);
      return [rowT, rowRatio, rowRss, rowOut].map((r) => ({ ...r, value: '—', pass: null, note }));
    }
    if (!HAVE_GNU_TIME) console.error(`${GNU_TIME} not found (Debian package \`time\`): measuring peak RSS in-process via bench/measure.js`);

    let best = Infinity, rss = 0;
    for (let i = 0; i < ctx.runs; i++) {
      const r = await runNodeMeasured(ctx.tmp, NFWALK, ['fmt', ctx.dump.path]);
      if (r.code !== 0) {
        const note = `failed (exit ${r.code ?? r.signal}): ${brief(r.stderr)}`;
        return [rowT, rowRatio, rowRss, rowOut].map((row) => ({ ...row, value: '—', pass: false, note }));
      }
      best = Math.min(best, r.ms);
      rss = Math.max(rss, r.rssKiB);
    }
    ctx.results.fmtMs = best;

    // Correctness on the side: the generated dump is canonical, so fmt must reproduce it.
    const outFile = join(ctx.tmp, 'fmt.out');
    await run(process.execPath, [NFWALK, 'fmt', ctx.dump.path], { stdout: outFile });
    const strip = (/** @type {string} */ s) => s.split('\n').filter((l) => !l.startsWith('#'));
    const want = strip(readFileSync(ctx.dump.path, 'utf8'));
    const got = strip(readFileSync(outFile, 'utf8'));
    let firstDiff = -1;
    for (let i = 0; i < Math.max(want.length, got.length); i++) if (want[i] !== got[i]) { firstDiff = i; break; }

    const ipt = ctx.results.iptablesRestoreMs;
    const ratio = typeof ipt === 'number' ? best / ipt : NaN;
    return [
      { ...rowT, value: fmtSec(best), pass: Number.isNaN(ratio) ? null : best <= ipt, note: Number.isNaN(ratio) ? 'no iptables-restore time to compare' : undefined },
      { ...rowRatio, value: Number.isNaN(ratio) ? '—' : `${ratio.toFixed(2)}×`, pass: Number.isNaN(ratio) ? null : ratio <= 1 },
      { ...rowRss, value: Number.isNaN(rss) ? '—' : fmtMB(rss), pass: Number.isNaN(rss) ? null : (rss * 1024) / 1e6 < 600 },
      {
        ...rowOut, value: firstDiff < 0 ? 'identical' : 'differs', pass: firstDiff < 0,
        note: firstDiff < 0 ? undefined : `first difference at non-# line ${firstDiff + 1}: want \`${(want[firstDiff] ?? '<EOF>').slice(0, 80)}\`, got \`${(got[firstDiff] ?? '<EOF>').slice(0, 80)}\``.replace(/\|/g, '\\|'),
      },
    ];
  },
};

/** Packets in the trace benchmark's batch. */
const TRACE_PACKETS = 2000;

/** @type {Benchmark} */
const nfwalkTrace = {
  name: 'trace',
  async run(ctx) {
    const n = TRACE_PACKETS;
    const rowT = {
      bench: 'trace', measure: `nfwalk trace --batch (${n} packets) --json > /dev/null: load + trace (best of ${ctx.runs})`,
      goal: '≤ iptables-restore --test',
    };
    const rowRatio = { bench: 'trace', measure: 'ratio nfwalk trace --batch / iptables-restore --test', goal: '≤ 1.00' };
    const rowRss = { bench: 'trace', measure: 'nfwalk trace --batch peak RSS' };
    const rowOut = { bench: 'trace', measure: 'one JSON trace per packet, outcomes' };
    if (!existsSync(NFWALK)) {
      const note = 'skipped: bin/nfwalk.js not found';
      return [rowT, rowRatio, rowRss, rowOut].map((r) => ({ ...r, value: '—', pass: null, note }));
    }
    // ClusterIPs and NodePorts of the generated services (tcp/udp), from eth0 and local, some to nothing.
    const batch = generateBatch(readFileSync(ctx.dump.path, 'utf8'), { packets: n, seed: 1 });
    const batchFile = join(ctx.tmp, 'batch.jsonl');
    writeFileSync(batchFile, batch.text);
    const args = ['trace', '--rules', ctx.dump.path, '--batch', batchFile, '--json'];
    let best = Infinity, rss = 0;
    for (let i = 0; i < ctx.runs; i++) {
      const r = await runNodeMeasured(ctx.tmp, NFWALK, args);
      // Exit codes 0, 1 and 3 are outcomes (delivered / dropped / undetermined), not failures.
      if (r.code === null || r.code === 2 || r.code > 3) {
        const note = `failed (exit ${r.code ?? r.signal}): ${brief(r.stderr)}`;
        return [rowT, rowRatio, rowRss, rowOut].map((row) => ({ ...row, value: '—', pass: false, note }));
      }
      best = Math.min(best, r.ms);
      rss = Math.max(rss, r.rssKiB);
    }
    ctx.results.traceMs = best;

    const outFile = join(ctx.tmp, 'trace.out');
    await run(process.execPath, [NFWALK, ...args], { stdout: outFile });
    const traces = readFileSync(outFile, 'utf8').split('\n').filter((l) => l.length > 0);
    /** @type {Record<string, number>} */
    const outcomes = {};
    for (const t of traces) {
      const o = JSON.parse(t).outcome ?? 'error';
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
    const summary = Object.entries(outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');

    const ipt = ctx.results.iptablesRestoreMs;
    const ratio = typeof ipt === 'number' ? best / ipt : NaN;
    return [
      { ...rowT, value: fmtSec(best), pass: Number.isNaN(ratio) ? null : best <= ipt, note: Number.isNaN(ratio) ? 'no iptables-restore time to compare' : undefined },
      { ...rowRatio, value: Number.isNaN(ratio) ? '—' : `${ratio.toFixed(2)}×`, pass: Number.isNaN(ratio) ? null : ratio <= 1 },
      { ...rowRss, value: Number.isNaN(rss) ? '—' : fmtMB(rss) },
      { ...rowOut, value: `${traces.length} / ${n}`, pass: traces.length === n, goal: `${n}`, note: summary },
    ];
  },
};

/** @type {Benchmark[]} */
const BENCHMARKS = [inputInfo, iptablesRestoreTest, nfwalkFmt, nfwalkTrace];

// ---------------------------------------------------------------------------
// main

/** @type {Set<string>} network namespaces to delete if we are interrupted */
const activeNetns = new Set();
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    for (const ns of activeNetns) spawnSync('ip', ['netns', 'del', ns]);
    process.exit(130);
  });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{services: number, endpoints: number, runs: number, only: string[]|null}} */
  const o = { services: 20000, endpoints: 2, runs: 3, only: null };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(services|endpoints|runs|only)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!m) throw new Error(`unknown argument: ${argv[i]} (usage: run.js [--services N] [--endpoints M] [--runs K] [--only NAME,...])`);
    const val = m[2] ?? argv[++i];
    if (val === undefined) throw new Error(`--${m[1]} needs a value`);
    if (m[1] === 'only') o.only = val.split(',');
    else {
      const n = Number(val);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${m[1]}: not a positive integer: ${val}`);
      o[/** @type {'services'|'endpoints'|'runs'} */ (m[1])] = n;
    }
  }
  return o;
}

/** @param {Row[]} rows */
function printTable(rows) {
  const lines = ['| benchmark | measure | value | goal | result | notes |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const result = r.pass === true ? '**PASS**' : r.pass === false ? '**FAIL**' : '';
    lines.push(`| ${r.bench} | ${r.measure} | ${r.value} | ${r.goal ?? ''} | ${result} | ${r.note ?? ''} |`);
  }
  console.log(lines.join('\n'));
  const goals = rows.filter((r) => r.pass === true || r.pass === false);
  const failed = goals.filter((r) => r.pass === false);
  const unmeasured = rows.filter((r) => r.goal && (r.pass === null || r.pass === undefined));
  console.log(`\n${goals.length - failed.length}/${goals.length} goals met` +
    (failed.length ? `; FAILED: ${failed.map((r) => r.measure).join('; ')}` : '') +
    (unmeasured.length ? `; not measured: ${unmeasured.length}` : ''));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dump = prepareDump(opts.services, opts.endpoints);
  const tmp = mkdtempSync(join(tmpdir(), 'nfwalk-bench-'));
  /** @type {Ctx} */
  const ctx = { dump, runs: opts.runs, tmp, results: {} };
  /** @type {Row[]} */
  const rows = [];
  try {
    for (const b of BENCHMARKS) {
      if (opts.only && b.name !== 'input' && !opts.only.includes(b.name)) continue;
      process.stderr.write(`running ${b.name}…\n`);
      rows.push(...(await b.run(ctx)));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\n## nfwalk benchmarks (node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`);
  printTable(rows);
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
