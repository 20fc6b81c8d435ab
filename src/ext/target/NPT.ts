/**
 * `-j SNPT` / `-j DNPT --src-pfx PREFIX/LEN --dst-pfx PREFIX/LEN` (libip6t_SNPT/DNPT, kernel
 * ip6t_NPT): IPv6-to-IPv6 network prefix translation (RFC 6296), mangle table only.
 * Validated as iptables and the kernel's checkentry do and printed as iptables-save prints
 * it; the translation itself is not modelled.
 */
import { formatAddress } from "../../packet/format.js";
import type { Hook } from "../../model/types.js";
import type { TargetExtension } from "../types.js";
import { parseHostMask, type HostMask } from "./host-option.js";

export interface NptOptions {
  readonly src: HostMask;
  readonly dst: HostMask;
}

/** ip6t_npt_checkentry: at most 64 bits of prefix, and no bits set beyond it. */
const MAX_PREFIX = 64;

function npt(name: "SNPT" | "DNPT", hooks: readonly Hook[]): TargetExtension<NptOptions> {
  return {
    kind: "target",
    name,
    families: ["ipv6"],
    unmodelled: true,
    tables: ["mangle"],
    hooks: () => hooks,
    options: [
      { name: "src-pfx", args: 1 },
      { name: "dst-pfx", args: 1 },
    ],
    parse(uses, ctx) {
      const prefix = (option: "src-pfx" | "dst-pfx"): HostMask => {
        const arg = uses.find((u) => u.spec.name === option)?.args[0] ?? ctx.fail(ctx.at, `${name} needs --src-pfx and --dst-pfx`, "missing-option");
        const h = parseHostMask(ctx, arg);
        if (h.prefix > MAX_PREFIX) ctx.fail(arg, `--${option} ${arg.text}: the kernel takes prefixes of at most ${MAX_PREFIX} bits`, "bad-value");
        const value = h.address.value as bigint;
        if (value & ((1n << BigInt(128 - h.prefix)) - 1n)) ctx.fail(arg, `--${option} ${arg.text} has address bits set beyond its prefix; the kernel refuses it`, "bad-value");
        return h;
      };
      return { src: prefix("src-pfx"), dst: prefix("dst-pfx") };
    },
    // NPT_save leaves out a prefix that is ::/0.
    save: (o) => savePrefix("src-pfx", o.src) + savePrefix("dst-pfx", o.dst),
  };
}

function savePrefix(option: string, h: HostMask): string {
  return h.prefix === 0 && h.address.value === 0n ? "" : ` --${option} ${formatAddress(h.address)}/${h.prefix}`;
}

/** Source prefix translation, on the way out: INPUT and POSTROUTING. */
export const SNPT = npt("SNPT", ["INPUT", "POSTROUTING"]);
/** Destination prefix translation, on the way in: PREROUTING and OUTPUT. */
export const DNPT = npt("DNPT", ["PREROUTING", "OUTPUT"]);
