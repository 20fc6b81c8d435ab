import { ruleCases } from "../../helpers/rule-cases.js";

// -m dst and -m hbh share their parser. Canonical forms and refusals checked with
// ip6tables-restore / ip6tables-save 1.8.9 (nf_tables) in a namespace.
ruleCases(
  "-m dst / -m hbh",
  [
    ["-m dst --dst-len 0", "="],
    ["-m dst ! --dst-len 42 --dst-opts 149:92,12:12,123:12", "="],
    ["-m hbh", "="],
    ["-m hbh --hbh-len 42 --hbh-opts 1:2,23:42,4:6,8:10,42,23,4:5", "="],
    // strtoul's notations, kept to a byte; a length of 255 is "any length" and prints as none
    ["-m hbh --hbh-opts 0x10:0x1ff,-1,010,300:255", "-m hbh --hbh-opts 16,255,8,44"],
    ['-m hbh --hbh-opts " 1:+2"', "-m hbh --hbh-opts 1:2"],
    ["-m dst --dst-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:3,16", "="],
    ["-m dst --dst-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", { error: "bad-value" }],
    ["-m dst --dst-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16:2", { error: "bad-value" }],
    ["-m dst --dst-opts 0:1", { error: "bad-value" }],
    ["-m hbh --hbh-opts 256:4", { error: "bad-value" }],
    ["-m hbh --hbh-opts 1,,2", { error: "bad-value" }],
    ["-m hbh --hbh-opts 1,", { error: "bad-value" }],
    ["-m hbh --hbh-opts 08", { error: "bad-value" }],
    ["-m hbh --hbh-opts 0x", { error: "bad-value" }],
    ["-m hbh --hbh-opts 1:x", { error: "bad-value" }],
    ["-m dst --dst-len -1", { error: "bad-value" }],
    ["-m dst --dst-len 4294967296", { error: "bad-value" }],
    ["-m dst --dst-len 1 --dst-len 2", { error: "duplicate-option" }],
    ["-m hbh ! --hbh-opts 1", { error: "bad-negation" }],
    ["-m hbh --dst-len 1", { error: "unknown-option" }],
  ],
  { family: "ipv6" },
);
ruleCases("-m dst (IPv4)", [["-m dst --dst-len 1", { error: "wrong-family" }]]);
