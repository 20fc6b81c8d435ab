/**
 * `iptables -I/-A/-R` commands applied to an iptables-save dump as text, as the kernel's
 * tables would hold them after the commands run: the test's own way of making a fix, apart
 * from nfwalk's (src/why/change.ts), so a fix is checked by something it did not write.
 */
export function applyCommands(dump: string, commands: readonly string[]): string {
  let lines = dump.split("\n");
  for (const command of commands) lines = applyCommand(lines, command);
  return lines.join("\n");
}

function applyCommand(lines: string[], command: string): string[] {
  const m = /^ip6?tables(?: -t (\S+))? -([IAR]) (\S+)(?: (\d+))? (.*)$/.exec(command);
  if (!m) throw new Error(`not an iptables rule command: ${command}`);
  const [, table = "filter", op, chain, position, rule] = m as unknown as [string, string | undefined, "I" | "A" | "R", string, string | undefined, string];
  const start = lines.indexOf(`*${table}`);
  if (start < 0) throw new Error(`no table ${table} in the dump`);
  const end = lines.indexOf("COMMIT", start);
  const chainRules = lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i > start && i < end && l.replace(/^\[\d+:\d+\] /, "").startsWith(`-A ${chain} `));
  const line = `-A ${chain} ${rule}`;
  const n = op === "A" ? chainRules.length + 1 : Number(position ?? 1);
  const at = chainRules[n - 1]?.i ?? (op === "R" ? undefined : (chainRules[chainRules.length - 1]?.i ?? end - 1) + 1);
  if (at === undefined) throw new Error(`${chain} has no rule ${n}`);
  return [...lines.slice(0, at), line, ...lines.slice(op === "R" ? at + 1 : at)];
}
