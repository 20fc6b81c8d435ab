import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms and refusals checked with ip6tables-restore / ip6tables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-m srh",
  [
    ["-m srh", "="],
    ["-m srh --srh-next-hdr 17 --srh-segs-left-eq 1 --srh-last-entry-eq 4 --srh-tag 0", "="],
    ["-m srh ! --srh-next-hdr 17 ! --srh-segs-left-eq 0 --srh-tag 0", "="],
    // the comparisons of one field share its value: the last one given
    ["-m srh --srh-hdr-len-lt 3 --srh-hdr-len-eq 8 ! --srh-tag 7", "-m srh --srh-hdr-len-eq 8 --srh-hdr-len-lt 8 ! --srh-tag 7"],
    ["-m srh --srh-tag 65535 --srh-segs-left-gt 0x10", "-m srh --srh-segs-left-gt 16 --srh-tag 65535"],
    ["-m srh ! --srh-psid a::/64 ! --srh-nsid b::/128 ! --srh-lsid c::/0", "="],
    ["-m srh ! --srh-psid a::1/64 --srh-nsid b::/ffff:: --srh-lsid c::", "-m srh ! --srh-psid a::1/64 --srh-nsid b::/16 --srh-lsid c::/128"],
    ["-m srh --srh-psid a::/ff00:ff00::", "-m srh --srh-psid a::/128"],
    ["-m srh --srh-next-hdr 256", { error: "bad-value" }],
    ["-m srh --srh-tag 65536", { error: "bad-value" }],
    ["-m srh --srh-psid 1.2.3.4", { error: "bad-address" }],
    ["-m srh --srh-psid a::/129", { error: "bad-value" }],
    ["-m srh --srh-bogus 1", { error: "unknown-option" }],
    ["-m srh --srh-tag 1 --srh-tag 2", { error: "duplicate-option" }],
  ],
  { family: "ipv6" },
);
