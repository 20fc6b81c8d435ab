import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms and refusals checked with iptables-restore / iptables-save 1.8.9 (nf_tables) in a
// namespace, with the sets created by ipset first (iptables-restore refuses a set that does not exist).
ruleCases("-j SET", [
  ["-j SET --add-set foo src,dst", "="],
  ["-j SET --del-set bar dst --add-set foo srcx,dstfoo --timeout 0x10 --exist", "-j SET --add-set foo src,dst --exist --timeout 16 --del-set bar dst"],
  ["-j SET --add-set bar src --timeout 4294967294", "="],
  ["-j SET --del-set bar dst,src,dst,src,dst,src", "="],
  ["-j SET ! --add-set bar src", "-j SET --add-set bar src"],
  ["-j SET --add-set aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa src", "="],
  ["-j SET", { error: "missing-option" }],
  ["-j SET --exist --del-set bar src", { error: "missing-option" }],
  ["-j SET --timeout 5 --del-set bar src", { error: "missing-option" }],
  ["-j SET --map-mark --add-set bar src", { error: "missing-option" }],
  ["-j SET --add-set bar src --timeout 4294967295", { error: "bad-value" }],
  ["-j SET --add-set bar src --timeout -1", { error: "bad-value" }],
  ["-j SET --add-set bar src,dst,src,dst,src,dst,src", { error: "bad-value" }],
  ["-j SET --add-set bar sr", { error: "bad-value" }],
  ["-j SET --add-set bar --exist", { error: "missing-argument" }],
  ["-j SET --add-set aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa src", { error: "bad-value" }],
  // The kernel's checkentry: --map-set only in mangle.
  ["-j SET --map-set skb src --map-mark", { error: "bad-table" }],
]);
ruleCases(
  "-j SET --map-set (mangle)",
  [
    ["-j SET --map-set skb src --map-mark", "="],
    ["-j SET --map-set skb src", { error: "missing-option" }],
    // Priority and queue only on the way out (FORWARD, OUTPUT, POSTROUTING).
    ["-j SET --map-set skb src --map-prio", { error: "bad-hook" }],
  ],
  { table: "mangle" },
);
ruleCases(
  "-j SET --map-prio (mangle POSTROUTING)",
  [
    ["-j SET --map-set skb src --map-prio", "="],
    ["-j SET --map-set skb dst --map-queue --map-prio --map-mark", "-j SET --map-set skb dst --map-mark --map-prio --map-queue"],
    ["-j SET --add-set bar src ! --exist --exist --timeout 3 --timeout 4", "-j SET --add-set bar src --exist --timeout 4"],
  ],
  { table: "mangle", chain: "POSTROUTING" },
);
