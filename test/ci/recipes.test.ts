/**
 * The CI recipes of examples/ci/ run here as the CI systems would run them: each workflow's
 * `run:` steps (GitLab: the job's `script:`) in order, in a git repository made for the test
 * with a base branch and a change, with `nfwalk` from this tree on PATH. Steps that use an
 * action (checkout, upload, the JUnit reporter) and the step that installs nfwalk are what a
 * CI system does around them; the test checks what they would be given: the JUnit files,
 * valid against the schema, and the annotations.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { readJunit, schemaErrors } from "../helpers/junit-xml.js";
import { readCommand, type Command } from "../helpers/report-readers.js";

const root = resolve(import.meta.dirname, "../..");
const ci = join(root, "examples/ci");
const dockerHost = join(root, "examples/docker-host");

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
}

interface Workflow {
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[]; readonly strategy?: { matrix: Record<string, string[]> } }>;
}

interface Ran {
  readonly name: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let bin: string;

beforeAll(() => {
  // `nfwalk` as the install step would leave it: this tree's command.
  bin = mkdtempSync(join(tmpdir(), "nfwalk-ci-bin-"));
  writeFileSync(join(bin, "nfwalk"), `#!/bin/sh\nexec node ${JSON.stringify(join(root, "bin/nfwalk.js"))} "$@"\n`, { mode: 0o755 });
});

function sh(script: string, cwd: string, env: Record<string, string> = {}): Ran {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env, PATH: `${bin}:${process.env["PATH"]}`, NO_COLOR: "1" },
  });
  return { name: script, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const git = (cwd: string, ...args: string[]) => {
  const r = sh(`git -c user.name=nfwalk -c user.email=nfwalk@example.invalid -c init.defaultBranch=main ${args.map((a) => `'${a}'`).join(" ")}`, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
};

/**
 * A repository laid out as the recipes say (firewall/: the dump, the host's ip -json, the
 * expectations of examples/ci/expectations.yaml; examples/ci/ for the fleet), cloned, with
 * the change (if any) on a branch: the clone is the CI system's checkout of the pull request.
 */
function repository(changed?: string): string {
  const upstream = mkdtempSync(join(tmpdir(), "nfwalk-ci-upstream-"));
  mkdirSync(join(upstream, "firewall"));
  cpSync(join(dockerHost, "rules.v4"), join(upstream, "firewall/rules.v4"));
  for (const f of ["ip-addr.json", "ip-route.json"]) cpSync(join(dockerHost, f), join(upstream, "firewall", f));
  const expectations = readFileSync(join(ci, "expectations.yaml"), "utf8")
    .replace("rules: ../docker-host/rules-docker-user.v4", "rules: rules.v4")
    .replace(/\.\.\/docker-host\/(ip-\w+\.json)/g, "$1")
    .replace(/\n\s*before: \.\.\/docker-host\/rules\.v4/, "");
  expect(expectations).not.toContain("../");
  writeFileSync(join(upstream, "firewall/expectations.yaml"), expectations);
  cpSync(ci, join(upstream, "examples/ci"), { recursive: true });
  git(upstream, "init", "-q");
  git(upstream, "add", ".");
  git(upstream, "commit", "-q", "-m", "firewall");
  const work = mkdtempSync(join(tmpdir(), "nfwalk-ci-work-"));
  git(work, "clone", "-q", upstream, ".");
  if (changed === undefined) return work;
  git(work, "checkout", "-q", "-b", "change");
  cpSync(changed, join(work, "firewall/rules.v4"));
  git(work, "commit", "-q", "-am", "change the firewall");
  return work;
}

/** GitHub's `${{ … }}` for what the recipes use. */
function expand(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(context, name)) throw new Error(`the test does not know \${{ ${name} }}`);
    return context[name]!;
  });
}

/** A job's `run:` steps as the runner runs them: in order, each after the last succeeded unless `if: always()`. */
function runJob(workflow: Workflow, job: string, cwd: string, context: Record<string, string>): Ran[] {
  const ran: Ran[] = [];
  for (const step of workflow.jobs[job]!.steps) {
    if (step.run === undefined || step.id === "install-nfwalk") continue;
    if (ran.some((r) => r.code !== 0) && !(step.if ?? "").includes("always()")) continue;
    const env = Object.fromEntries(Object.entries({ ...workflow.env, ...step.env }).map(([k, v]) => [k, expand(v, context)]));
    ran.push({ ...sh(expand(step.run, context), cwd, env), name: step.name ?? step.run });
  }
  return ran;
}

const annotations = (out: string): Command[] => out.split("\n").flatMap((l) => readCommand(l) ?? []);
const lineOf = (file: string, line: number) => readFileSync(file, "utf8").split("\n")[line - 1];
const workflow = (path: string) => parse(readFileSync(join(ci, path), "utf8")) as Workflow;

describe("examples/ci/github/firewall-pr.yml", () => {
  const pr = workflow("github/firewall-pr.yml");

  test("a change the expectations allow: the job passes, the diff annotates the added rule, both JUnit reports are valid", () => {
    const work = repository(join(dockerHost, "rules-docker-user.v4"));
    const ran = runJob(pr, "nfwalk", work, { "github.base_ref": "main" });
    expect(ran.map((r) => [r.name, r.code, r.stderr])).toEqual(ran.map((r) => [r.name, 0, expect.any(String)]));
    const [, check, diff] = ran;
    expect(check!.stdout).toContain("7 passed, 0 failed, 0 undetermined");
    expect(annotations(check!.stdout)).toEqual([]);
    const changed = annotations(diff!.stdout);
    expect(changed.length).toBeGreaterThan(0);
    for (const a of changed) {
      expect(a.properties["file"]).toBe("firewall/rules.v4");
      expect(lineOf(join(work, "firewall/rules.v4"), Number(a.properties["line"]))).toBe("-A DOCKER-USER -s 10.99.0.0/24 -i eth0 -j DROP");
    }
    const reports = [join(work, "reports/check.xml"), join(work, "reports/diff.xml")];
    expect(schemaErrors(reports)).toBeUndefined();
    const [checkRun, diffRun] = readJunit(reports);
    expect([checkRun!.tests, checkRun!.failures]).toEqual(["7", "0"]);
    expect(Number(diffRun!.failures)).toBe(changed.length);
  });

  test("a change that publishes the database: check fails the job at the expectations' lines, the diff still runs", () => {
    const work = repository(join(ci, "rules-db-published.v4"));
    const ran = runJob(pr, "nfwalk", work, { "github.base_ref": "main" });
    const [before, check, diff] = ran;
    expect([before!.code, check!.code, diff!.code]).toEqual([0, 1, 0]);
    const failed = annotations(check!.stdout);
    expect(failed.map((a) => a.name)).toEqual(failed.map(() => "error"));
    const expectations = join(work, "firewall/expectations.yaml");
    const named = failed.map((a) => lineOf(expectations, Number(a.properties["line"])));
    expect(named).toContain("  - name: the database is not reachable from outside");
    expect(failed.every((a) => a.properties["file"] === "firewall/expectations.yaml")).toBe(true);
    const reports = [join(work, "reports/check.xml"), join(work, "reports/diff.xml")];
    expect(schemaErrors(reports)).toBeUndefined();
    expect(Number(readJunit(reports)[0]!.failures)).toBe(failed.length);
  });
});

describe("examples/ci/gitlab/.gitlab-ci.yml", () => {
  test("the script fails on a change that breaks an expectation, and leaves both JUnit reports, valid", () => {
    const job = (parse(readFileSync(join(ci, "gitlab/.gitlab-ci.yml"), "utf8")) as Record<string, { script: string[]; variables: Record<string, string> }>)["nfwalk"]!;
    const work = repository(join(ci, "rules-db-published.v4"));
    const r = sh(job.script.join("\n"), work, { ...job.variables, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main" });
    expect(r.code).toBe(1);
    const reports = [join(work, "reports/diff.xml"), join(work, "reports/check.xml")];
    expect(schemaErrors(reports)).toBeUndefined();
    const [diff, check] = readJunit(reports);
    expect(Number(diff!.failures)).toBeGreaterThan(0);
    expect(check!.suites[0]!.cases.find((c) => c.name === "the database is not reachable from outside")!.failure).not.toBeNull();
  });
});

describe("examples/ci/github/fleet.yml", () => {
  test("one job a host's snapshot, then one merged JUnit report with every host's suite", () => {
    const fleet = workflow("github/fleet.yml");
    const work = repository();
    const hosts = fleet.jobs["check"]!.strategy!.matrix["host"]!;
    const codes = hosts.map((host) => {
      const ran = runJob(fleet, "check", work, { "matrix.host": host });
      return [host, ran.at(-1)!.code];
    });
    expect(codes).toEqual([
      ["web-1", 0],
      ["web-2", 0],
      ["db-1", 1],
    ]);
    expect(runJob(fleet, "report", work, {}).map((r) => r.code)).toEqual([0]);
    const merged = join(work, "fleet.xml");
    expect(schemaErrors([merged])).toBeUndefined();
    const [run] = readJunit([merged]);
    expect([run!.tests, run!.failures, run!.errors]).toEqual(["9", "1", "0"]);
    // The shell's glob gives the reports in file-name order.
    expect(run!.suites.map((s) => [s.name, s.failures])).toEqual(
      [...hosts].sort().map((h) => [`examples/ci/fleet/expectations.yaml on examples/ci/fleet/snapshots/${h}.json`, h === "db-1" ? "1" : "0"]),
    );
  });
});
