/**
 * The playground in a real browser: the built page (dist/playground/, rebuilt here when a
 * source is newer) served by `nfwalk playground --port 0`, driven by Chromium through
 * playwright-core. Every gallery example must show what `nfwalk trace --json` prints for the
 * same input: the outcome, where it ends, every rule and policy step and every NAT step, on
 * each branch. Also: stepping with the keyboard, a load error at its line, a link that
 * reproduces the lesson, nothing requested from anywhere but the local server, and the size.
 *
 * Chromium: Debian's `chromium` package (/usr/bin/chromium; .ci/run installs it), or
 * NFWALK_CHROMIUM=/path/to/chrome. Without one the browser tests skip and say so.
 * NFWALK_SCREENSHOT=1 writes the README's docs/playground.png from the real page.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync, inflateRawSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readGallery, type GalleryEntry } from "../../playground/gallery-manifest.js";
import { chromiumPath, NO_CHROMIUM } from "../helpers/chromium.js";

const root = resolve(import.meta.dirname, "../..");
const pageDir = join(root, "dist/playground");
const browserPath = chromiumPath;
if (browserPath === undefined) console.log(`playground browser tests skipped: ${NO_CHROMIUM}`);

const gallery = readGallery();

/** The newest modification time of the files under a path. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds the page when it is missing or older than what it is built from (npm test has just built it). */
function ensureBuilt(): void {
  const index = join(pageDir, "index.html");
  const sources = Math.max(newest(join(root, "playground")), newest(join(root, "src")), newest(join(root, "examples")));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const built = spawnSync("npx", ["vite", "build", "--config", "playground/vite.config.ts"], { cwd: root, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}${built.stderr}`);
}

test("the built page is at most 300 KB gzipped, counting every file", () => {
  ensureBuilt();
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
  const sizes = files(pageDir).map((file) => gzipSync(readFileSync(file), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  console.log(`playground: ${sizes.length} files, ${(total / 1024).toFixed(1)} KB gzipped`);
  expect(total).toBeLessThanOrEqual(300 * 1024);
});

/** What `nfwalk trace --json` (or `why --json`) prints for a gallery example. */
function cliOf<T>(command: "trace" | "why", e: GalleryEntry): T {
  const where = e.local ? ["--local"] : ["--in", e.in!];
  const args = [command, "--rules", e.rules, "--addr", e.addr, "--route", e.route, ...e.sysctls.flatMap((s) => ["--sysctl", s]), ...where, "--json", e.packet];
  const run = spawnSync(process.execPath, [join(root, "bin/nfwalk.js"), ...args], { cwd: join(root, "examples"), encoding: "utf8" });
  if (![0, 1, 3].includes(run.status ?? -1)) throw new Error(`nfwalk ${command} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface StepJson {
  type: string;
  [key: string]: unknown;
}
interface Course {
  outcome: string;
  egress?: unknown;
  delivered?: unknown;
  steps: StepJson[];
}
interface TraceJson extends Course {
  branches?: Course[];
}

/** A step's fields the page shows, as text: rule and policy steps as the contract has them, NAT steps' header before and after. */
function compared(step: StepJson): Record<string, string> | undefined {
  const keys =
    step.type === "rule"
      ? ["hook", "table", "chain", "rule", "line", "target"]
      : step.type === "policy"
        ? ["hook", "table", "chain", "policy"]
        : step.type === "nat"
          ? ["hook", "kind", "before", "after"]
          : undefined;
  return keys && Object.fromEntries([["type", step.type], ...keys.map((k) => [k, String(step[k] ?? "")])]);
}

/** `nfwalk playground --port 0 ARGS…` running, and the URL it printed. */
async function serve(args: readonly string[]): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [join(root, "bin/nfwalk.js"), "playground", "--port", "0", ...args], { cwd: join(root, "examples"), stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolveUrl(out.split("\n")[0]!);
    });
    server.once("exit", (code) => reject(new Error(`nfwalk playground exited with ${code}`)));
  });
  return { server, url };
}

describe.skipIf(browserPath === undefined)("the playground in Chromium", () => {
  let server: ChildProcess;
  let url: string;
  let browser: Browser;
  const elsewhere: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    ({ server, url } = await serve([]));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/$/);
    browser = await chromium.launch({ executablePath: browserPath! });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    // Nothing but the local server was asked for, and no script failed.
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  /** A fresh page on the server; any request elsewhere is refused and recorded. */
  async function open(at = url): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const server = new URL(at).origin;
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(`${server}/`)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.goto(at);
    await traced(page);
    return page;
  }

  /** Waits until the page has the answer to its latest input. */
  async function traced(page: Page): Promise<void> {
    await page.waitForSelector("body:not([data-tracing]) #verdict[data-outcome]");
  }

  /** Takes the focus out of the form and the editor, where the arrow keys are the field's own. */
  async function unfocus(page: Page): Promise<void> {
    await page.evaluate("document.activeElement?.blur()");
  }

  /** The lesson the page's link holds, read back with Node's own deflate-raw (the editor shows only what is in view). */
  async function linkedLesson(page: Page): Promise<{ rules: string; packet: string; from: string }> {
    await page.waitForSelector("body[data-linked-step]");
    const fragment = new URL(page.url()).hash;
    expect(fragment.startsWith("#l=")).toBe(true);
    return JSON.parse(inflateRawSync(Buffer.from(fragment.slice(3), "base64url")).toString("utf8"));
  }

  async function showExample(page: Page, id: string): Promise<void> {
    await page.selectOption("#gallery", id);
    await traced(page);
  }

  /** The steps the page lists, as their data attributes. */
  const pageSteps = (page: Page) => page.$$eval("#steps li", (items) => items.map((li) => ({ ...(li as unknown as { dataset: Record<string, string> }).dataset }) as Record<string, string>));

  test.each(gallery.map((e) => [e.id, e] as const))("%s: verdict, path, NAT steps and why's answer are the CLI's", async (_id, example) => {
    const cli = cliOf<TraceJson>("trace", example);
    const page = await open();
    await showExample(page, example.id);
    console.log(`playground: ${example.id} ${await page.textContent("#timing")}`);
    expect(await page.textContent("#outcome")).toBe(cli.outcome);
    const courses = cli.branches ?? [cli];
    expect(await page.$$eval("#branches button", (b) => b.length)).toBe(cli.branches ? cli.branches.length : 0);
    for (const [i, course] of courses.entries()) {
      if (cli.branches) {
        await page.click(`#branches button:nth-child(${i + 1})`);
        await page.waitForSelector(`#branches button:nth-child(${i + 1}).current`);
      }
      const shown = (await pageSteps(page)).map((s) => compared(s as unknown as StepJson)).filter((s) => s !== undefined);
      const expected = course.steps.map(compared).filter((s) => s !== undefined);
      expect(expected.length).toBeGreaterThan(0);
      expect(shown).toEqual(expected);
      // The header card lists the same NAT rewrites.
      const headerNat = await page.$$eval(".header-list li.nat", (items) => items.map((li) => ({ type: "nat", ...(li as unknown as { dataset: Record<string, string> }).dataset })));
      expect(headerNat).toEqual(expected.filter((s) => s.type === "nat"));
      const end = JSON.parse((await page.getAttribute("#verdict", "data-end"))!) as object;
      expect(end).toEqual(course.egress ? { egress: course.egress } : course.delivered ? { delivered: course.delivered } : {});
      // The diagram shows the course: its first node is where the packet comes from.
      expect(await page.$$eval(".flow .flow-node.on", (n) => n.length)).toBeGreaterThan(1);
    }
    // why's answer, in the page's second worker.
    const explained = cliOf<{ answer: string }>("why", example);
    expect(await page.textContent("#why-answer", { timeout: 60_000 })).toBe(explained.answer);
    await page.close();
  });

  test("the arrow keys step through the path, marking the stage in the diagram and the rule's line in the editor", async () => {
    const page = await open();
    await showExample(page, "published-port");
    const steps = await pageSteps(page);
    const current = () => page.$eval("#steps", (list) => [...list.children].findIndex((li) => li.classList.contains("current")));
    expect(await current()).toBe(0);
    await unfocus(page);
    for (const [key, at] of [
      ["ArrowRight", 1],
      ["ArrowRight", 2],
      ["j", 3],
      ["ArrowLeft", 2],
      ["k", 1],
      ["End", steps.length - 1],
      ["Home", 0],
    ] as const) {
      await page.keyboard.press(key);
      expect(await current(), key).toBe(at);
      expect(await page.textContent("#step-count")).toBe(`step ${at + 1} of ${steps.length}`);
    }
    // A rule step: its stage is the diagram's current node and its line is marked in the editor.
    const ruleAt = steps.findIndex((s) => s["type"] === "rule");
    for (let i = 0; i < ruleAt; i++) await page.keyboard.press("ArrowRight");
    const rule = steps[ruleAt]!;
    expect(await page.getAttribute(".flow .flow-node.current", "data-node")).toBe(`${rule["hook"]}.${rule["table"]}`);
    const rules = readFileSync(join(root, "examples", gallery.find((e) => e.id === "published-port")!.rules), "utf8").split("\n");
    expect(await page.textContent(".cm-current-step")).toBe(rules[Number(rule["line"]) - 1]);
    // Its "line N" link puts the editor's cursor on that line.
    await page.click("#steps li.current a.line");
    expect(await page.textContent(".cm-activeLine")).toBe(rules[Number(rule["line"]) - 1]);
    // The reply is followed on the same diagram.
    await page.click("#view-reply");
    await page.waitForSelector("#view-reply.current");
    expect((await pageSteps(page)).find((s) => s["type"] === "conntrack")).toMatchObject({ state: "ESTABLISHED" });
    await page.close();
  });

  test("a rule the loader refuses is marked at its line, as the CLI reports it", async () => {
    const example = gallery.find((e) => e.id === "host-firewall")!;
    const page = await open();
    await showExample(page, example.id);
    const rules = readFileSync(join(root, "examples", example.rules), "utf8").split("\n");
    const at = rules.findIndex((l) => l.startsWith("-A INPUT -i lo")) + 1;
    // Type a jump to a chain that does not exist after that line.
    await page.click(`.cm-content .cm-line:nth-child(${at})`);
    await page.keyboard.press("End");
    await page.keyboard.type("\n-A INPUT -j NOSUCH");
    await page.waitForSelector(".cm-lintRange-error");
    await traced(page);
    const marked = await page.$eval(".cm-lintRange-error", (range) => {
      const line = range.closest(".cm-line")!;
      return { line: [...line.parentElement!.children].indexOf(line) + 1, text: range.textContent };
    });
    // The CLI on the same text.
    const edited = [...rules.slice(0, at), "-A INPUT -j NOSUCH", ...rules.slice(at)].join("\n");
    const run = spawnSync(process.execPath, [join(root, "bin/nfwalk.js"), "fmt", "-"], { input: edited, encoding: "utf8" });
    expect(run.status).toBe(2);
    const [, line, column] = /^-:(\d+):(\d+): error/m.exec(run.stderr)!;
    expect(marked.line).toBe(Number(line));
    expect(marked.text).toBe("NOSUCH");
    expect(edited.split("\n")[Number(line) - 1]!.indexOf("NOSUCH") + 1).toBe(Number(column));
    expect(await page.textContent("#load-status")).toMatch(/^1 error in the rules/);
    expect(await page.getAttribute("#verdict", "data-outcome")).toBe("none");
    await page.close();
  });

  test("the URL holds the whole lesson: opened in a new page it shows the same state", async () => {
    const page = await open();
    await showExample(page, "docker-user");
    await page.fill("#pf-dport", "8081");
    await traced(page);
    await unfocus(page);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector("#steps li.current:nth-child(3)");
    await page.waitForSelector('body[data-linked-step="2"]');
    const link = page.url();
    const state = async (p: Page) => ({
      rules: await p.textContent(".cm-content"),
      spec: await p.inputValue("#pf-spec"),
      from: await p.inputValue("#pf-from"),
      outcome: await p.textContent("#outcome"),
      step: await p.textContent("#step-count"),
      steps: await pageSteps(p),
    });
    const before = await state(page);
    expect(before.spec).toBe("tcp 10.99.0.2:40000 -> 10.99.0.1:8081 [flags SYN]");
    const again = await open(link);
    expect(await state(again)).toEqual(before);
    await page.close();
    await again.close();
  });

  test("nfwalk playground --rules FILE…: the page opens the first file and lists the others", async () => {
    const files = ["host-firewall/rules.v4", "docker-host/rules-ufw.v4"];
    const withFiles = await serve(files.flatMap((f) => ["--rules", f]));
    try {
      const page = await open(withFiles.url);
      expect(await page.inputValue("#gallery")).toBe("file:0");
      expect(await page.textContent("#rules-name")).toBe(files[0]);
      // The link is written just after each answer: wait for it to hold what the page shows.
      await expect.poll(async () => (await linkedLesson(page)).rules).toBe(readFileSync(join(root, "examples", files[0]!), "utf8"));
      await page.selectOption("#gallery", "file:1");
      await traced(page);
      expect(await page.textContent("#rules-name")).toBe(files[1]);
      await expect.poll(async () => (await linkedLesson(page)).rules).toBe(readFileSync(join(root, "examples", files[1]!), "utf8"));
      await page.close();
    } finally {
      withFiles.server.kill("SIGTERM");
    }
  });

  test.skipIf(process.env["NFWALK_SCREENSHOT"] !== "1")("the README's screenshot, from the real page", async () => {
    const page = await open();
    await showExample(page, "published-port");
    await unfocus(page);
    const steps = await pageSteps(page);
    const dnat = steps.findIndex((s) => s["type"] === "rule" && s["target"] === "DNAT");
    for (let i = 0; i < dnat; i++) await page.keyboard.press("ArrowRight");
    await page.setViewportSize({ width: 1440, height: 960 });
    // Stepping scrolls the current step into view; the picture shows the page from its top.
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(root, "docs/playground.png") });
    await page.close();
  });
});
