/**
 * `-m bpf` (libxt_bpf revision 1, kernel xt_bpf): a classic BPF program
 * (--bytecode "N,code jt jf k,…", as `nfbpf_compile` prints it) or a pinned
 * eBPF object (--object-pinned PATH, which the kernel opens when the rule
 * loads). Its verdict is unknown to nfwalk.
 */
import type { Token } from "../../parse/syntax.js";
import type { MatchExtension, ParseContext } from "../types.js";
import { saveString } from "../values.js";

/** XT_BPF_MAX_NUM_INSTR */
const MAX_INSTRUCTIONS = 64;

export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

export type BpfOptions = { readonly program: readonly BpfInstruction[] } | { readonly pinned: string };

/** bpf_parse_string: the count, then that many `code jt jf k` groups, comma-separated. */
function parseBytecode(ctx: ParseContext, token: Token): BpfInstruction[] {
  const bad = (why: string) => ctx.fail(token, `--bytecode: ${why}`, "bad-value");
  const [countText, ...groups] = token.text.split(",");
  const count = /^\s*\d+/.test(countText!) ? parseInt(countText!, 10) : bad("it must start with the number of instructions");
  if (count === 0 || count > MAX_INSTRUCTIONS) bad(`from 1 to ${MAX_INSTRUCTIONS} instructions`);
  if (groups.length !== count) bad(`${count} instructions announced, ${groups.length} given`);
  return groups.map((group) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(group) ?? bad(`"${group}" is not "code jt jf k"`);
    const [code, jt, jf, k] = m.slice(1).map(Number) as [number, number, number, number];
    if (code > 0xffff || jt > 0xff || jf > 0xff || k > 0xffffffff) bad(`"${group}" has a field out of range`);
    return { code, jt, jf, k };
  });
}

export const bpf: MatchExtension<BpfOptions> = {
  kind: "match",
  name: "bpf",
  options: [
    { name: "bytecode", args: 1 },
    { name: "object-pinned", args: 1 },
  ],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m bpf needs --bytecode or --object-pinned", "missing-option");
    if (uses[1]) ctx.fail(uses[1].at, "--bytecode and --object-pinned cannot be used together", "conflicting-options");
    const arg = use.args[0]!;
    return use.spec.name === "bytecode" ? { program: parseBytecode(ctx, arg) } : { pinned: arg.text };
  },
  save(o) {
    if ("pinned" in o) return ` --object-pinned${saveString(o.pinned)}`;
    return ` --bytecode "${o.program.length},${o.program.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(",")}"`;
  },
  /** bpf_mt / bpf_mt_v1: whatever the program returns (non-zero matches); nfwalk does not run BPF. */
  match: () => ({ unknown: "-m bpf: depends on what the BPF program returns, which nfwalk does not run" }),
};
