/**
 * A rule's or a policy's step says only which one was taken at which hook, so the engine makes
 * it once and every trace taking it holds the same object (engine/walk.ts), which the JSON
 * writer then writes once (trace/json-line.ts).
 */
import { expect, test } from "vitest";
import { tracePacket, type Ingress } from "../../src/engine/pipeline.js";
import { parsePacketSpec, parseRuleset } from "../../src/index.js";
import { example } from "../helpers/example.js";

const RULES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:X - [0:0]
-A INPUT -j X
-A OUTPUT -j X
-A X -p tcp -j RETURN
COMMIT
`;

const loaded = parseRuleset(RULES, { file: "rules", family: "ipv4" });
if (!loaded.ok) throw new Error("the rules do not load");
const ruleset = loaded.ruleset;
const { host } = example("docker-host");

function steps(spec: string, ingress: Ingress) {
  const parsed = parsePacketSpec(spec);
  if (!parsed.ok) throw new Error(parsed.message);
  return tracePacket({ ruleset, host, packet: parsed.packet, ingress }).steps.filter((s) => s.type === "rule" || s.type === "policy");
}

test("two traces taking the same rules and policy at a hook hold the same step objects", () => {
  const first = steps("tcp 10.99.0.2:40000 -> 10.99.0.1:22", { kind: "interface", name: "eth0" });
  const second = steps("tcp 10.99.0.3:50000 -> 10.99.0.1:80", { kind: "interface", name: "eth0" });
  expect(first.map((s) => [s.hook, s.chain, s.type])).toEqual([
    ["INPUT", "INPUT", "rule"],
    ["INPUT", "X", "rule"],
    ["INPUT", "INPUT", "policy"],
  ]);
  expect(second.length).toBe(first.length);
  second.forEach((step, i) => expect(step).toBe(first[i]));
});

test("the same rule taken at another hook is another step, which names that hook", () => {
  const arriving = steps("tcp 10.99.0.2:40000 -> 10.99.0.1:22", { kind: "interface", name: "eth0" });
  const sent = steps("tcp 10.99.0.1:40000 -> 10.99.0.2:22", { kind: "local" });
  const inX = (list: typeof sent) => list.find((s) => s.chain === "X")!;
  expect(inX(sent)).not.toBe(inX(arriving));
  expect([inX(arriving).hook, inX(sent).hook]).toEqual(["INPUT", "OUTPUT"]);
  expect({ ...inX(sent), hook: "INPUT" }).toEqual(inX(arriving));
});
