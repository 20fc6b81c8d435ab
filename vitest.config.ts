import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Kernel tests build network namespaces; they run one file at a time.
    fileParallelism: true,
    testTimeout: 60_000,
  },
});
