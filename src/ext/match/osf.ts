/**
 * `-p tcp -m osf --genre NAME [--ttl 0-2] [--log 0-2]` (libxt_osf, kernel xt_osf): the
 * operating system a TCP SYN's fingerprint points to. Validated and printed as
 * iptables-save prints it; nfwalk has no fingerprints, so the match is unknown.
 */
import type { MatchExtension } from "../types.js";
import { parseUInt, putString } from "../values.js";

/** MAXGENRELEN */
const GENRE_BYTES = 32;

export interface OsfOptions {
  readonly genre: string;
  readonly negated: boolean;
  readonly ttl: number | undefined;
  readonly log: number | undefined;
}

export const osf: MatchExtension<OsfOptions> = {
  kind: "match",
  name: "osf",
  families: ["ipv4"],
  unmodelled: true,
  options: [
    { name: "genre", args: 1, invertible: true },
    { name: "ttl", args: 1 },
    { name: "log", args: 1 },
  ],
  parse(uses, ctx) {
    // xt_osf is registered for IPPROTO_TCP only.
    if (ctx.protocol?.value !== 6 || ctx.protocol.negated) ctx.fail(ctx.at, "the osf match needs -p tcp", "missing-protocol");
    const given = (name: string) => uses.find((u) => u.spec.name === name);
    const genre = given("genre") ?? ctx.fail(ctx.at, "-m osf needs --genre", "missing-option");
    const level = (name: string) => {
      const use = given(name);
      return use && parseUInt(ctx, use.args[0]!, `--${name}`, 0, 2);
    };
    return { genre: putString(ctx, genre.args[0]!, GENRE_BYTES, "--genre"), negated: genre.invert, ttl: level("ttl"), log: level("log") };
  },
  save: (o) => `${o.negated ? " !" : ""} --genre ${o.genre}${o.ttl === undefined ? "" : ` --ttl ${o.ttl}`}${o.log === undefined ? "" : ` --log ${o.log}`}`,
};
