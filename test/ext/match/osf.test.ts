import { ruleCases } from "../../helpers/rule-cases.js";

// From libxt_osf (options and save) and xt_osf (TCP only); osf has no IPv6 match.
ruleCases("-m osf", [
  ["-p tcp -m osf --genre linux --ttl 0 --log 0", "="],
  ["-p tcp -m osf ! --genre Windows --ttl 2", "="],
  ["-m osf --genre linux --ttl 0 --log 0", { error: "missing-protocol" }],
  ["-p tcp -m osf --genre linux --ttl 3 --log 0", { error: "bad-value" }],
  ["-p tcp -m osf --ttl 1", { error: "missing-option" }],
]);
ruleCases("-m osf (IPv6)", [["-p tcp -m osf --genre linux", { error: "wrong-family" }]], { family: "ipv6" });
