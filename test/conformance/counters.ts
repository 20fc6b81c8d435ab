/**
 * Which rules and policies a packet moved, read from `iptables-save -c` taken after a
 * fresh load (iptables-restore without -c starts every counter at zero).
 */

/** A rule whose packet counter is non-zero: its matches all held, whatever its target. */
export interface CountedRule {
  readonly table: string;
  readonly chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` and the trace number it. */
  readonly rule: number;
  /** More than 1 when the packet passed the rule more than once (e.g. a chain reached from two hooks). */
  readonly packets: number;
}

/** A built-in chain whose counter is non-zero: the number of packets its policy decided. */
export interface CountedPolicy {
  readonly table: string;
  readonly chain: string;
  readonly policy: string;
  readonly packets: number;
}

export interface Counted {
  readonly rules: CountedRule[];
  readonly policies: CountedPolicy[];
}

const POLICY_LINE = /^:(\S+) (\S+) \[(\d+):\d+\]$/;
const RULE_LINE = /^\[(\d+):\d+\] -A (\S+)(?: |$)/;

/** Counted rules and policies in iptables-save's order (tables, then rules within chains). */
export function countedSteps(saveText: string): Counted {
  const rules: CountedRule[] = [];
  const policies: CountedPolicy[] = [];
  let table: string | undefined;
  let positions = new Map<string, number>();
  for (const line of saveText.split("\n")) {
    if (line === "" || line.startsWith("#") || line === "COMMIT") continue;
    if (line.startsWith("*")) {
      table = line.slice(1);
      positions = new Map();
      continue;
    }
    if (table === undefined) throw new Error(`iptables-save -c: line outside a table: ${line}`);
    const policy = POLICY_LINE.exec(line);
    if (policy !== null) {
      const [, chain, target, packets] = policy as unknown as [string, string, string, string];
      // User chains ("-") have no policy; their counter stays 0 anyway.
      if (target !== "-" && Number(packets) > 0) policies.push({ table, chain, policy: target, packets: Number(packets) });
      continue;
    }
    const rule = RULE_LINE.exec(line);
    if (rule === null) throw new Error(`iptables-save -c: unexpected line in *${table}: ${line}`);
    const [, packets, chain] = rule as unknown as [string, string, string];
    const position = (positions.get(chain) ?? 0) + 1;
    positions.set(chain, position);
    if (Number(packets) > 0) rules.push({ table, chain, rule: position, packets: Number(packets) });
  }
  return { rules, policies };
}
