/**
 * The run's closing lines, plain and greppable, after the default reporter's summary:
 *
 *     conformance: 210 passed, 1 failed
 *     1322 passed, 1 failed, 44 skipped
 *
 * The first counts the test cases of files under test/conformance/ (the kernel-checked
 * suite, always exactly `conformance: N passed, N failed`), the second every test case of
 * the run, with `, N skipped` only when some were skipped.
 * A test file that failed before any of its tests ran (an import or syntax error, a
 * failing beforeAll with no tests reported) counts as one failed case, so a broken file
 * never reads as "0 failed"; so does an unhandled error outside any test.
 */
import { relative, sep } from "node:path";
import type { SerializedError } from "vitest";
import type { Reporter, TestModule, Vitest } from "vitest/node";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const CONFORMANCE_DIR = ["test", "conformance"].join(sep) + sep;

export default class SummaryReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const all: Tally = { passed: 0, failed: 0, skipped: 0 };
    const conformance: Tally = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      const tallies = relative(this.root, module.moduleId).startsWith(CONFORMANCE_DIR) ? [all, conformance] : [all];
      let failed = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        const key = state === "passed" ? "passed" : state === "failed" ? "failed" : "skipped";
        if (key === "failed") failed++;
        for (const t of tallies) t[key]++;
      }
      // A module that failed on its own (collection error, hook error) without a failed test.
      if (failed === 0 && module.state() === "failed") for (const t of tallies) t.failed++;
    }
    all.failed += unhandledErrors.length;
    const overall = `${all.passed} passed, ${all.failed} failed${all.skipped > 0 ? `, ${all.skipped} skipped` : ""}`;
    process.stdout.write(`conformance: ${conformance.passed} passed, ${conformance.failed} failed\n${overall}\n`);
  }
}
