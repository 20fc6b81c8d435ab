// An EXPECTATIONS.yaml of `count` expectations about a dump, for the check
// benchmark: for the destination addresses the dump names most (`-d A/32`),
// each a different question — every outcome kind, from the interfaces the
// rules name — as a platform team would ask them of a firewall.
//
//   import { generateExpectations } from "./gen-expectations.js";
//   generateExpectations(dumpText, rulesPath, { count: 50 }) → YAML text

/** @param {string} dump @param {string} rulesPath @param {{count: number}} opts */
export function generateExpectations(dump, rulesPath, { count }) {
  const tally = (/** @type {RegExp} */ re) => {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const m of dump.matchAll(re)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  };
  const addresses = tally(/ -d (\d+\.\d+\.\d+\.\d+)\/32 /g);
  const interfaces = tally(/ -i ([A-Za-z0-9.]+) /g);
  /** One question per kind, in turn. @type {((a: string) => {packets: string, expect: string, local?: boolean})[]} */
  const kinds = [
    (a) => ({ packets: `tcp any -> ${a}:80,443`, expect: "reaches" }),
    (a) => ({ packets: `udp any -> ${a}:53`, expect: "not-reachable" }),
    (a) => ({ packets: `tcp 131.159.0.0/16 -> ${a}:22`, expect: "forwarded" }),
    (a) => ({ packets: `icmp any -> ${a} [type echo-request]`, expect: "not delivered" }),
    (a) => ({ packets: `tcp,udp any -> ${a}:1-1024`, expect: "dropped" }),
    (a) => ({ packets: `tcp any -> ${a}:3306,5432`, expect: `not forwarded after NAT to ${a}:3306` }),
    (a) => ({ packets: `tcp any -> ${a}`, expect: "sent", local: true }),
  ];
  const lines = [`rules: ${JSON.stringify(rulesPath)}`, "expectations:"];
  for (let i = 0; i < count; i++) {
    const address = addresses[i % addresses.length];
    const q = kinds[i % kinds.length](address);
    lines.push(`  - name: "${i + 1}: ${q.packets} ${q.expect}"`);
    lines.push(q.local ? "    local: true" : `    in: ${interfaces[i % interfaces.length]}`);
    lines.push(`    packets: ${q.packets}`, `    expect: ${q.expect}`);
  }
  return lines.join("\n") + "\n";
}
