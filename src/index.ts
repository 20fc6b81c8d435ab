/**
 * nfwalk's library: read an `iptables-save` dump and a host, and walk packets through them
 * the way the Linux kernel does. The `nfwalk` command is a thin shell over exactly this
 * module; nothing here touches files, processes or `node:` modules, so it runs in a
 * browser too.
 *
 * Problems with input are values, not exceptions: every reader returns `ok: true` with
 * the value, or `ok: false` with {@link Diagnostic}s that carry a code, a message and a
 * position ({@link renderDiagnostic} prints them with the line and a caret).
 *
 * @example Trace a packet
 * ```ts
 * const rules = parseRuleset(dumpText, { file: "rules.v4" });
 * const host = loadHost({ addr: ipAddrJson, route: ipRouteJson });
 * const packet = parsePacketSpec("tcp 10.99.0.2:40000 -> 10.99.0.1:8080");
 * if (rules.ok && host.ok && packet.ok) console.log(trace(rules.ruleset, host.value, packet.packet, { from: { interface: "eth0" } }).outcome);
 * ```
 *
 * @packageDocumentation
 */

// Diagnostics: what the readers say about their input.
export type { Diagnostic, DiagnosticSummary, Severity, SourceSpan } from "./diag/index.js";
export { error, printable, printableKeepingColour, renderDiagnostic, SourceText, summariseDiagnostics, warning, warningCounts } from "./diag/index.js";

// Test reports: what check, lint, diff and trace --batch found, as JUnit XML, TAP 14 or GitHub Actions commands.
export type { CaseResult, CaseStatus, FailureSeverity, Finding, ReportLocation, Tally, TestCase, TestRun, TestSuite } from "./report/index.js";
export { findingCase, githubReport, junitReport, REPORT_FORMATS, renderReport, tally, tapReport, type ReportFormat } from "./report/index.js";

// The ruleset: reading a dump, its model, printing it back.
export * from "./model/types.js";
export * from "./ruleset/types.js";
export type { DumpText } from "./parse/parse-dump.js";
export { parseRuleset, type LoadOptions, type LoadResult } from "./ruleset/load.js";
export { formatRule, formatRuleset, rulesetLines, type FormatOptions } from "./ruleset/save.js";
export type { MatchExtension, OptionSpec, OptionUse, ParseContext, SaveContext, TargetExtension } from "./ext/types.js";
export type { MatchEnv, MatchResult, TargetEffect, TargetEnv, Unknown } from "./ext/semantics.js";

// Packets.
export type { Address, Packet } from "./packet/packet.js";
export { parsePacketSpec, type PacketSpecResult } from "./packet/spec.js";
export { describePacket, formatAddress } from "./packet/format.js";

// The host: addresses, routes, sysctls, ipsets, Docker's metadata, snapshots.
export type { Host, Interface, InterfaceAddress, Route, RouteType, Sysctls } from "./host/types.js";
export { parseIpAddr, parseIpRoute, type Parsed } from "./host/ip-json.js";
export { DEFAULT_SYSCTLS, parseSysctls } from "./host/sysctl.js";
export { defaultHost } from "./host/default-host.js";
export { loadHost, type HostTexts } from "./api/host.js";
export { parseIpsetSave, type Ipset, type IpsetContents } from "./host/ipset.js";
export { parseDockerInspect, parseDockerNetworkInspect } from "./docker/inspect.js";
export { dockerInventory, type DockerInventory } from "./docker/inventory.js";
export { collectSnapshot, parseSnapshot, SNAPSHOT_FORMAT, writeSnapshot } from "./snapshot/index.js";
export type { CommandResult, CommandRunner, DockerSection, LoadedSnapshot, Snapshot } from "./snapshot/index.js";

// Tracing and its renderers.
export { trace, traceTextRenderer, type Origin, type TraceOptions, type TraceResult, type TraceTextOptions } from "./api/trace.js";
export { reachedOf } from "./trace/reached.js";
export { traceCase } from "./trace/report.js";
export { traceJsonLine } from "./trace/json-line.js";
export type { BranchJson, DeliveredJson, EgressJson, PacketJson, TraceJson } from "./trace/json.js";
export type { Outcome, Step } from "./engine/types.js";
export type { ConnectionPacket } from "./engine/pipeline.js";
export type { Assumptions } from "./engine/walk.js";
export { parseAssumptions, type AssumptionsResult } from "./api/assume.js";
export { conntrackUser, type ConntrackAssumption } from "./engine/conntrack-use.js";

// The netfilter flow as a graph, and a trace's path on it (for diagrams).
export {
  netfilterFlow,
  tracePath,
  type FlowEdge,
  type FlowNode,
  type FlowNodeId,
  type FlowPath,
  type NetfilterFlow,
  type PathEnd,
  type PathRule,
  type PathStep,
  type PathVisit,
  type StageNode,
  type StageNodeId,
  type TracePath,
} from "./diagram/flow.js";
export { HOOK_STAGES, stagePriority, type HookStage } from "./model/hook-order.js";
export { traceMermaid } from "./diagram/mermaid.js";
export { traceDot } from "./diagram/dot.js";

// Explanations.
export { why, type WhyOptions, type WhyResult } from "./api/why.js";
export type { Fix, Why } from "./why/types.js";
export type { FixDifference } from "./why/fix-diff.js";
export { whyText } from "./why/text.js";
export { withSourcePort } from "./why/origin.js";

// Docker's published ports.
export { dockerPorts, portsJson, portsText, type PortReport, type PortsReport } from "./docker/ports.js";

// Packet sets: what the host does with every packet of a set (reach), and what a change of the rules changes (diff).
export type { Box, Field, PacketSet, Point } from "./sets/packet-set.js";
export * as packetSets from "./sets/packet-set.js";
export { boxJson, boxText, DEFAULT_FIXED, defaultFixed, examplePoint, packetAt, packetText, parsePacketSet, type FixedFields, type PacketQuery, type PacketSetResult } from "./sets/text.js";
export { diff, onlyUndetermined, reach, type Difference, type HostQuery, type ReachClass } from "./sets/answer.js";
export { reachParts, type ReachPart, type ReachRequest, type Treatment } from "./sets/reach.js";
export { diffJson, diffText, reachJson, reachText } from "./sets/report.js";
export { diffRun } from "./sets/diff-run.js";
export type { Ingress } from "./engine/pipeline.js";

// Lint: exact findings about a ruleset (rules that never match or change nothing, unused chains, Docker's traps).
export { lint, type LintOptions } from "./lint/lint.js";
export { isLintCode, LINT_CODES, type LintCode, type LintFinding, type LintLocation, type LintReport, type LintRuleRef, type LintSeverity } from "./lint/types.js";
export { lintText } from "./lint/text.js";
export { lintRun } from "./lint/run.js";

// CI checks: expectations about whole sets of packets, each decided for every packet (nfwalk check).
export { check, checkStatus } from "./check/check.js";
export { checkJson, checkTestRun, checkText } from "./check/report.js";
export { EXPECTED_OUTCOMES, outcomeSpecText, parseOutcomeSpec, type Endpoint, type ExpectedOutcome, type OutcomeSpec, type OutcomeSpecResult } from "./check/outcome.js";
export type {
  AllowedChange,
  BrokenPart,
  CheckReport,
  CheckRequest,
  CheckStatus,
  CounterExample,
  Expectation,
  ExpectationResult,
  Location,
  PacketsFrom,
  UndeterminedPart,
} from "./check/types.js";
