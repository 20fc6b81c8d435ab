/**
 * The netfilter flow (src/diagram/flow.ts): the kernel's order of the stages at each hook,
 * the same order the engine walks, and traces of examples/docker-host placed on it.
 */
import { describe, expect, test } from "vitest";
import {
  BUILTIN_CHAINS,
  defaultHost,
  HOOK_STAGES,
  netfilterFlow,
  parsePacketSpec,
  parseRuleset,
  stagePriority,
  trace,
  traceMermaid,
  tracePath,
  type Family,
  type FlowNodeId,
  type FlowPath,
  type Hook,
  type Origin,
  type Ruleset,
  TABLE_NAMES,
} from "../../src/index.js";
import { example } from "../helpers/example.js";

const { read, host } = example("docker-host");

function rules(text: string, file: string, family: Family = "ipv4"): Ruleset {
  const loaded = parseRuleset(text, { file, family });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  return loaded.ruleset;
}

function pathOf(ruleset: Ruleset, spec: string, from: Origin, conntrackOn = false) {
  const packet = parsePacketSpec(spec);
  if (!packet.ok) throw new Error(packet.message);
  const result = trace(ruleset, host, packet.packet, { from, ...(conntrackOn && { conntrack: { on: true, source: "the test" } }) });
  return { result, path: tracePath(result, ruleset) };
}

const only = (paths: readonly FlowPath[]): FlowPath => {
  expect(paths).toHaveLength(1);
  return paths[0]!;
};

const stagesOf = (...hooks: Hook[]): FlowNodeId[] => hooks.flatMap((hook) => HOOK_STAGES[hook].map((stage): FlowNodeId => `${hook}.${stage}`));

describe("the static flow", () => {
  const flow = netfilterFlow("ipv4");

  test("each hook runs its stages in the kernel's priority order (NF_IP_PRI_*, security at iptables-nft's 150), conntrack between raw and mangle", () => {
    expect(flow.hooks.map((h) => [h.hook, h.stages.map((s) => `${s.stage} ${s.priority}`)])).toEqual([
      ["PREROUTING", ["raw -300", "conntrack -200", "mangle -150", "nat -100"]],
      ["INPUT", ["mangle -150", "filter 0", "nat 100", "security 150"]],
      ["FORWARD", ["mangle -150", "filter 0", "security 150"]],
      ["OUTPUT", ["raw -300", "conntrack -200", "mangle -150", "nat -100", "filter 0", "security 150"]],
      ["POSTROUTING", ["mangle -150", "nat 100"]],
    ]);
  });

  test("every table's built-in chain is a stage of its hook, and every edge joins two nodes of the graph", () => {
    const ids = new Set(flow.nodes.map((n) => n.id));
    for (const table of TABLE_NAMES) for (const hook of BUILTIN_CHAINS[table]) expect(ids.has(`${hook}.${table}`), `${hook}.${table}`).toBe(true);
    for (const edge of flow.edges) expect([ids.has(edge.from), ids.has(edge.to)], `${edge.from} -> ${edge.to}`).toEqual([true, true]);
    expect(ids.size).toBe(flow.nodes.length);
    expect(stagePriority("nat", "OUTPUT")).toBeLessThan(stagePriority("filter", "OUTPUT"));
  });

  test("the routing decision after PREROUTING leads to INPUT or FORWARD; lo leads back in", () => {
    const from = (node: FlowNodeId) => flow.edges.filter((e) => e.from === node).map((e) => `${e.to} (${e.label ?? ""})`);
    expect(from("routing-input")).toEqual(["INPUT.mangle (for this host)", "FORWARD.mangle (to forward)"]);
    expect(from("POSTROUTING.nat")).toEqual(["out ()"]);
    expect(from("out")).toEqual(["in (lo: routed to this host)"]);
  });
});

describe("the engine walks the flow's order", () => {
  // A rule without a target in every built-in chain: each table the packet meets counts it and goes on.
  const everywhere = rules(
    TABLE_NAMES.map((table) => [`*${table}`, ...BUILTIN_CHAINS[table].map((c) => `:${c} ACCEPT [0:0]`), ...BUILTIN_CHAINS[table].map((c) => `-A ${c}`), "COMMIT"].join("\n")).join("\n") + "\n",
    "everywhere.v4",
  );
  const stepNodes = (path: FlowPath) => path.steps.map((s) => s.node).filter((node, i, all) => node.includes(".") && node !== all[i - 1]);
  const tableSteps = (path: FlowPath) => path.steps.filter((s) => s.step.type === "rule").map((s) => s.node);

  test.each([
    { name: "delivered", spec: "tcp 10.99.0.2:40000 -> 10.99.0.1:22", from: { interface: "eth0" }, hooks: ["PREROUTING", "INPUT"] as Hook[], routing: "routing-input", end: "local" },
    { name: "forwarded", spec: "tcp 10.99.0.2:40000 -> 172.17.0.2:80", from: { interface: "eth0" }, hooks: ["PREROUTING", "FORWARD", "POSTROUTING"] as Hook[], routing: "routing-input", end: "out" },
    { name: "sent", spec: "tcp 10.99.0.1:40000 -> 10.99.1.10:443", from: { local: true as const }, hooks: ["OUTPUT", "POSTROUTING"] as Hook[], routing: "routing-output", end: "out" },
  ])("$name: a step at every stage of its hooks, in the graph's order", ({ spec, from, hooks, routing, end }) => {
    const path = only(pathOf(everywhere, spec, from, true).path.paths);
    expect(stepNodes(path)).toEqual(stagesOf(...hooks));
    // Each table's rule counted once, at its stage.
    expect(tableSteps(path)).toEqual(stagesOf(...hooks).filter((n) => !n.endsWith(".conntrack")));
    const visits = path.visits.map((v) => v.node);
    const start = "local" in from ? ["local", routing] : ["in"];
    const expected = [...start, ...stagesOf(hooks[0]!), ...("local" in from ? [] : [routing]), ...stagesOf(...hooks.slice(1)), end];
    expect(visits).toEqual(expected);
  });

  test("a packet sent to this host goes out through lo and comes back in: PREROUTING and INPUT after POSTROUTING", () => {
    const { path, result } = pathOf(everywhere, "tcp 10.99.0.1:40000 -> 10.99.0.1:22", { local: true }, true);
    expect(result.outcome).toBe("delivered");
    const course = only(path.paths);
    expect(course.visits).toEqual([
      { node: "local" },
      { node: "routing-output" },
      ...stagesOf("OUTPUT", "POSTROUTING").map((node) => ({ node })),
      { node: "out", interface: "lo" },
      { node: "in", interface: "lo" },
      ...stagesOf("PREROUTING").map((node) => ({ node })),
      { node: "routing-input" },
      ...stagesOf("INPUT").map((node) => ({ node })),
      { node: "local" },
    ]);
    // Steps only ever move forward along the visits.
    const order = course.steps.map((s) => s.visit);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe("an IPv6 trace on the flow", () => {
  test("the ip6tables flow has the same stages, and the drawing's headers put addresses in brackets", () => {
    const six = rules("*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n", "rules.v6", "ipv6");
    expect(netfilterFlow("ipv6").hooks).toEqual(netfilterFlow("ipv4").hooks);
    const packet = parsePacketSpec("udp [2001:db8::2]:5353 -> [2001:db8::1]:53");
    if (!packet.ok) throw new Error(packet.message);
    const result = trace(six, defaultHost(six), packet.packet, { from: { interface: "eth0" } });
    const path = tracePath(result, six);
    expect(path.flow.family).toBe("ipv6");
    expect(only(path.paths).steps.find((s) => s.rule)?.rule).toEqual({ file: "rules.v6", line: 3, text: "-A INPUT -p udp -j ACCEPT" });
    expect(traceMermaid(path)).toContain('title: "udp [2001:db8::2]:5353 -> [2001:db8::1]:53, arriving on eth0"');
  });
});

describe("docker-host traces on the flow", () => {
  const ruleset = rules(read("rules.v4"), "rules.v4");

  test("a published port: DNAT at PREROUTING's nat with the header before and after, then FORWARD out of docker0", () => {
    const { path, result } = pathOf(ruleset, "tcp 10.99.0.2:40000 -> 10.99.0.1:8080", { interface: "eth0" });
    const course = only(path.paths);
    const nat = course.steps.find((s) => s.step.type === "nat")!;
    expect(nat.node).toBe("PREROUTING.nat");
    expect(nat.step).toEqual(result.steps.find((s) => s.type === "nat"));
    expect(nat.step).toMatchObject({ kind: "dnat", before: "10.99.0.2:40000 -> 10.99.0.1:8080", after: "10.99.0.2:40000 -> 172.17.0.2:80" });
    const dnatRule = course.steps.find((s) => s.step.type === "rule" && s.step.target === "DNAT")!;
    expect(dnatRule.rule?.file).toBe("rules.v4");
    expect(dnatRule.rule?.text).toMatch(/^-A DOCKER .*--dport 8080 -j DNAT --to-destination 172\.17\.0\.2:80$/);
    expect(read("rules.v4").split("\n")[dnatRule.rule!.line - 1]).toContain("--to-destination 172.17.0.2:80");
    expect(course.visits.map((v) => v.node)).toContain("FORWARD.filter");
    expect(course.visits.map((v) => v.node)).not.toContain("INPUT.filter");
    expect(course.visits.at(-1)).toEqual({ node: "out", interface: "docker0" });
    expect(course.end).toMatchObject({ outcome: "forwarded", egress: result.egress });
    // Every step of the trace is on the path, in the trace's order.
    expect(course.steps.map((s) => s.step)).toEqual(result.steps);
  });

  test("a dropped packet: the path ends at the stage that dropped it", () => {
    const { path } = pathOf(ruleset, "tcp 10.99.0.2:40000 -> 172.17.0.2:80", { interface: "eth0" });
    const course = only(path.paths);
    const last = course.steps.at(-1)!;
    expect(course.end.outcome).toBe("dropped");
    expect(last.step).toMatchObject({ type: "rule", table: "raw", target: "DROP" });
    expect(course.visits.at(-1)!.node).toBe("PREROUTING.raw");
    expect(last.visit).toBe(course.visits.length - 1);
  });

  test("a locally sent packet to the published port: routed, DNAT in OUTPUT's nat, routed again there, out of docker0", () => {
    const { path } = pathOf(ruleset, "tcp 10.99.0.1:40000 -> 10.99.0.1:8080", { local: true });
    const course = only(path.paths);
    expect(course.visits.slice(0, 2)).toEqual([{ node: "local" }, { node: "routing-output" }]);
    const routes = course.steps.filter((s) => s.step.type === "route").map((s) => s.node);
    expect(routes).toEqual(["routing-output", "OUTPUT.nat"]);
    expect(course.steps.find((s) => s.step.type === "nat")).toMatchObject({ node: "OUTPUT.nat", step: { kind: "dnat", after: "10.99.0.1:40000 -> 172.17.0.2:80" } });
    expect(course.visits.at(-1)).toEqual({ node: "out", interface: "docker0" });
  });

  test("a container's packet forwarded with MASQUERADE at POSTROUTING's nat", () => {
    const { path } = pathOf(ruleset, "tcp 172.17.0.2:40000 -> 10.99.1.10:443", { interface: "docker0" });
    const course = only(path.paths);
    expect(course.visits[0]).toEqual({ node: "in", interface: "docker0" });
    expect(course.steps.find((s) => s.step.type === "nat")).toMatchObject({ node: "POSTROUTING.nat", step: { kind: "masquerade", after: "10.99.0.1:40000 -> 10.99.1.10:443" } });
    expect(course.visits.at(-1)).toEqual({ node: "out", interface: "eth0" });
  });

  test("a reply: the connection's NAT undone at its stage", () => {
    const packet = parsePacketSpec("tcp 10.99.0.2:40000 -> 10.99.0.1:8080");
    if (!packet.ok) throw new Error(packet.message);
    const result = trace(ruleset, host, packet.packet, { from: { interface: "eth0" }, connection: "reply" });
    const course = only(tracePath(result, ruleset).paths);
    expect(course.visits[0]).toEqual({ node: "in", interface: "docker0" });
    expect(course.steps.filter((s) => s.step.type === "nat").map((s) => [s.node, s.step.type === "nat" && s.step.after])).toEqual([["POSTROUTING.nat", "10.99.0.1:8080 -> 10.99.0.2:40000"]]);
  });
});
