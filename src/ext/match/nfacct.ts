/**
 * `-m nfacct --nfacct-name NAME` (libxt_nfacct, kernel xt_nfacct): counts the
 * packet in an extended accounting object (`nfacct add NAME`), which must exist.
 */
import type { MatchExtension } from "../types.js";
import { putString, saveString } from "../values.js";

/** NFACCT_NAME_MAX 32, with the NUL. */
const NAME_SIZE = 32;

export interface NfacctOptions {
  readonly name: string;
}

export const nfacct: MatchExtension<NfacctOptions> = {
  kind: "match",
  name: "nfacct",
  unrepeatable: () => true,
  options: [{ name: "nfacct-name", args: 1 }],
  parse(uses, ctx) {
    const use = uses[0] ?? ctx.fail(ctx.at, "-m nfacct needs --nfacct-name NAME", "missing-option");
    return { name: putString(ctx, use.args[0]!, NAME_SIZE, "accounting object name") };
  },
  // nfacct_save prints " --nfacct-name " and then the name with its own leading blank.
  save: (o) => ` --nfacct-name ${saveString(o.name)}`,
  /**
   * nfacct_mt counts the packet, then matches unless the object has a quota
   * it has not reached yet (nfnl_acct_overquota: NFACCT_NO_QUOTA and
   * NFACCT_OVERQUOTA match). Objects without a quota always match; nfwalk
   * is not told whether the object has one.
   */
  match: (o) => ({ unknown: `-m nfacct --nfacct-name ${o.name}: always matches unless accounting object "${o.name}" has a quota not yet used up, which nfwalk was not given` }),
};
