/**
 * Which Docker wrote the rules, told by the chains each era creates:
 *
 * - 1.12–17.x: DOCKER and one DOCKER-ISOLATION chain;
 * - 18.06–28.0.0: DOCKER-USER and DOCKER-ISOLATION-STAGE-1/2;
 * - 28.0.1 and later: DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE (and from 28,
 *   raw PREROUTING rules dropping direct access to container addresses);
 * - 29: DOCKER-INTERNAL for --internal networks;
 * - `--iptables=false`: Docker bridges on the host but no Docker chain at all.
 */
import type { Host } from "../host/index.js";
import type { Ruleset } from "../ruleset/types.js";

export type DockerEra = "none" | "iptables-disabled" | "1.12" | "18.06" | "28" | "29";

export interface DockerLayout {
  readonly era: DockerEra;
  /** The era in words, for people. */
  readonly description: string;
  /** Docker's chains the dump has, table:chain. */
  readonly chains: readonly string[];
  /** raw PREROUTING drops packets to a container's address arriving from outside its bridge (Docker 28+). */
  readonly directAccessDrop: boolean;
}

const DESCRIPTIONS: Readonly<Record<DockerEra, string>> = {
  none: "no Docker rules",
  "iptables-disabled": "Docker bridges on the host but no Docker rules: the daemon runs with --iptables=false",
  "1.12": "Docker 1.12–17.x (DOCKER, DOCKER-ISOLATION)",
  "18.06": "Docker 18.06–28.0.0 (DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2)",
  "28": "Docker 28.0.1 or later (DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE)",
  "29": "Docker 29 or later (DOCKER-FORWARD, DOCKER-INTERNAL)",
};

export const isDockerChain = (name: string): boolean => name === "DOCKER" || name.startsWith("DOCKER-");
export const isDockerBridgeName = (name: string): boolean => /^(docker|br-)/.test(name);

export function dockerLayout(ruleset: Ruleset, host: Host): DockerLayout {
  const chains = ruleset.tables.flatMap((t) => t.chains.filter((c) => isDockerChain(c.name)).map((c) => `${t.name}:${c.name}`));
  const has = (chain: string) => chains.includes(`filter:${chain}`);
  const raw = ruleset.tablesByName.get("raw")?.chainsByName.get("PREROUTING")?.rules ?? [];
  const directAccessDrop = raw.some(
    (r) =>
      r.action?.kind === "target" &&
      r.action.target.extension.name === "DROP" &&
      r.header.destination !== undefined &&
      r.header.inInterface?.negated === true &&
      isDockerBridgeName(r.header.inInterface.value),
  );
  const era: DockerEra = has("DOCKER-INTERNAL")
    ? "29"
    : has("DOCKER-FORWARD")
      ? "28"
      : has("DOCKER-ISOLATION-STAGE-1") || has("DOCKER-USER")
        ? "18.06"
        : chains.length > 0
          ? "1.12"
          : host.interfaces.some((i) => isDockerBridgeName(i.name))
            ? "iptables-disabled"
            : "none";
  return { era, description: DESCRIPTIONS[era], chains, directAccessDrop };
}
