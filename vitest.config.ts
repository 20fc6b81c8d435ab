import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Kernel tests build their own uniquely named network namespaces, so files may overlap.
    fileParallelism: true,
    testTimeout: 60_000,
    // The default report, then two closing lines: `conformance: N passed, N failed` and
    // `N passed, N failed[, N skipped]` for the whole run.
    reporters: ["default", "./test/conformance/summary-reporter.ts"],
  },
});
