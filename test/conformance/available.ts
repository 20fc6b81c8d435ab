/**
 * Whether the conformance oracle can run here: everything the kernel tests need
 * (kernelAvailable) plus nft, conntrack and a python3 that has scapy. Probed once.
 */
import { spawnSync } from "node:child_process";
import { kernelAvailable } from "../kernel/netns.js";

export type ConformanceAvailability = { readonly ok: true; readonly python: string } | { readonly ok: false; readonly reason: string };

/*
 * Debian's python3-scapy lives in the system python; a python3 earlier on PATH (pyenv,
 * a virtualenv) may not see it.
 */
const PYTHONS = ["python3", "/usr/bin/python3"];

let availability: ConformanceAvailability | undefined;

export function conformanceAvailable(): ConformanceAvailability {
  availability ??= probe();
  return availability;
}

function probe(): ConformanceAvailability {
  const kernel = kernelAvailable();
  if (!kernel.ok) return kernel;
  for (const tool of ["nft", "conntrack"]) {
    const version = spawnSync(tool, ["--version"], { encoding: "utf8" });
    if (version.error !== undefined || version.status !== 0) return { ok: false, reason: `${tool} is not usable` };
  }
  const python = PYTHONS.find((candidate) => spawnSync(candidate, ["-c", "import scapy.layers.inet"]).status === 0);
  if (python === undefined) return { ok: false, reason: `no python3 with scapy (tried ${PYTHONS.join(", ")}; Debian: python3-scapy)` };
  return { ok: true, python };
}
