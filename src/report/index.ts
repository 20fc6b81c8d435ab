export * from "./types.js";
export { junitReport } from "./junit.js";
export { tapReport } from "./tap.js";
export { githubReport } from "./github.js";
export { REPORT_FORMATS, renderReport, type ReportFormat } from "./format.js";
