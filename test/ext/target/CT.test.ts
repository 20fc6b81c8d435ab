import { ruleCases } from "../../helpers/rule-cases.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases(
  "-j CT",
  [
    ["-j CT", "="],
    ["-j CT --notrack", "="],
    ["-j CT --notrack --zone 1", "="],
    ["-j CT --zone 65535", "="],
    ["-j CT --zone 65536", { error: "bad-value" }],
    ["-j CT --zone -1", { error: "bad-value" }],
    ["-j CT --zone 0", "-j CT"],
    ["-j CT --zone 0x10", "-j CT --zone 16"],
    ["-j CT --zone mark", "="],
    ["-j CT --zone-orig 5", "="],
    ["-j CT --zone-reply mark", "="],
    ["-j CT --zone 3 --zone-orig 4", "-j CT --zone-orig 4"],
    ["-j CT --zone-orig 4 --zone-reply 5", "-j CT --zone 5"],
    ["-j CT --zone-orig mark --zone 5", "-j CT --zone-orig mark"],
    ["-j CT --ctevents new,related,destroy,reply,assured,protoinfo,helper,mark", "="],
    ["-j CT --ctevents natseqinfo,secmark,related", "-j CT --ctevents related,natseqinfo,secmark"],
    ["-j CT --ctevents bogus", { error: "bad-value" }],
    ["-j CT --expevents new", "="],
    ["-j CT --expevents related", { error: "bad-value" }],
    ["-p tcp -j CT --helper ftp", "="],
    ["-p udp -j CT --helper tftp", "="],
    ["-j CT --notrack --helper ftp", "="],
    ["-j CT --helper ftp", { error: "missing-protocol" }],
    ['-j CT --helper ""', "-j CT"],
    ["-j CT --zone 1 --notrack", "-j CT --notrack --zone 1"],
  ],
  { table: "raw" },
);
ruleCases("-j CT in OUTPUT", [["-j CT --zone 2", "="]], { table: "raw", chain: "OUTPUT" });
ruleCases("-j CT outside raw", [["-j CT --notrack", { error: "bad-table" }]], { table: "mangle" });
ruleCases("-j CT (IPv6)", [["-j CT --notrack", "="]], { table: "raw", family: "ipv6" });
