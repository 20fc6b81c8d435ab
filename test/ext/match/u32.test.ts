import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m u32", [
  ['-m u32 --u32 "0x0=0x0&&0x0=0x1"', "="],
  ['-m u32 ! --u32 "0x0=0x0"', "="],
  ['-m u32 --u32 "0 >> 22 & 0x3C @ 12 >> 26 @ 6 & 0xFF = 1,5:0x10"', '-m u32 --u32 "0x0>>0x16&0x3c@0xc>>0x1a@0x6&0xff=0x1,0x5:0x10"'],
  ['-m u32 --u32 "6&0xFF=1 && 4&0x3FFF=0"', '-m u32 --u32 "0x6&0xff=0x1&&0x4&0x3fff=0x0"'],
  ["-m u32 --u32 0<<010=4294967295", '-m u32 --u32 "0x0<<0x8=0xffffffff"'],
  ['-m u32 --u32 "0=1,2,3,4,5,6,7,8,9,10"', '-m u32 --u32 "0x0=0x1,0x2,0x3,0x4,0x5,0x6,0x7,0x8,0x9,0xa"'],
  ['-m u32 --u32 "0=1,2,3,4,5,6,7,8,9,10,11"', { error: "bad-value" }],
  ['-m u32 --u32 "0&1&2&3&4&5&6&7&8&9=1"', '-m u32 --u32 "0x0&0x1&0x2&0x3&0x4&0x5&0x6&0x7&0x8&0x9=0x1"'],
  ['-m u32 --u32 "0&1&2&3&4&5&6&7&8&9&10=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0"', '-m u32 --u32 "0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0&&0x0=0x0"'],
  ['-m u32 --u32 "0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0&&0=0"', { error: "bad-value" }],
  ['-m u32 --u32 "0"', { error: "bad-value" }],
  ['-m u32 --u32 "0="', { error: "bad-value" }],
  ['-m u32 --u32 "=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0<1=1"', { error: "bad-value" }],
  ['-m u32 --u32 "0=1&2=3"', { error: "bad-value" }],
  ['-m u32 --u32 "0=4294967296"', { error: "bad-value" }],
  ['-m u32 --u32 "0 1=1"', { error: "bad-value" }],
  ["-m u32", { error: "missing-option" }],
]);
