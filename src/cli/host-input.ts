import { defaultHost, parseIpAddr, parseIpRoute, parseSysctls, type Host, type Parsed } from "../host/index.js";
import type { Ruleset } from "../model/types.js";
import { printDiagnostics, readInput, UsageError } from "./input.js";
import type { CliIO } from "./io.js";
import { SourceText } from "../diag/index.js";

export interface HostOptions {
  readonly addr?: string;
  readonly route?: string;
  readonly sysctl: readonly string[];
}

/** The host from `--addr`/`--route`/`--sysctl`, or the default host built around the dump. */
export async function loadHost(io: CliIO, ruleset: Ruleset, options: HostOptions): Promise<Host> {
  const sysctls = orFail(io, parseSysctls(options.sysctl), new SourceText("--sysctl", ""), "--sysctl");
  if (options.addr === undefined && options.route === undefined) return defaultHost(ruleset, sysctls);
  if (options.addr === undefined || options.route === undefined) {
    throw new UsageError("--addr and --route go together: the addresses say what is local, the routes where the rest goes");
  }
  const addrSource = await readInput(io, options.addr);
  const routeSource = await readInput(io, options.route);
  const interfaces = orFail(io, parseIpAddr(addrSource.text, options.addr), addrSource, options.addr);
  const routes = orFail(io, parseIpRoute(routeSource.text, options.route), routeSource, options.route);
  return { interfaces, routes, sysctls, origin: { kind: "files" } };
}

function orFail<T>(io: CliIO, parsed: Parsed<T>, source: SourceText, what: string): T {
  if (parsed.ok) return parsed.value;
  printDiagnostics(io, parsed.diagnostics, source);
  throw new UsageError(`${what}: cannot be used`);
}
