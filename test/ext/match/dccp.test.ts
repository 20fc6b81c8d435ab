import { describe, expect, test } from "vitest";
import { ruleCases } from "../../helpers/rule-cases.js";
import { envOf, verdict } from "../../helpers/match-env.js";

// Canonical forms checked against iptables-save 1.8.9 (nf_tables).
ruleCases("-m dccp", [
  ["-p dccp -m dccp --dccp-option 5 --dccp-types ack --dport 1 --sport 2", "-p dccp -m dccp --sport 2 --dport 1 --dccp-types ACK --dccp-option 5"],
  ["-p dccp -m dccp ! --dccp-types invalid,data,ack,dataack,closereq,close,reset,sync,syncack", "-p dccp -m dccp ! --dccp-types DATA,ACK,DATAACK,CLOSEREQ,CLOSE,RESET,SYNC,SYNCACK,INVALID"],
  ["-p dccp -m dccp --dport http", "-p dccp -m dccp --dport 80"],
  ["-p dccp -m dccp --dport 5:1", "="],
  ["-p dccp -m dccp ! --dport 0:65535", "="],
  ["-p dccp -m dccp ! --dccp-option 0x10", "-p dccp -m dccp ! --dccp-option 16"],
  ["-p dccp -m dccp --dccp-option 256", { error: "bad-value" }],
  ["-p dccp -m dccp --dccp-types req", { error: "bad-value" }],
  ["-p udp -m dccp --dport 1", { error: "missing-protocol" }],
]);

describe("-m dccp semantics (dccp_mt)", () => {
  const env = envOf("dccp 10.0.0.2:5000 -> 10.0.0.1:6000");
  test("ports, a reversed range, inversion", () => {
    expect(verdict("-p dccp -m dccp --sport 5000 --dport 6000", env)).toBe(true);
    expect(verdict("-p dccp -m dccp --dport 7000:1", env)).toBe(false);
    expect(verdict("-p dccp -m dccp ! --dport 0:65535", env)).toBe(false);
  });
  test("the packet type and options are not described", () => {
    expect(verdict("-p dccp -m dccp --dccp-types REQUEST", env)).toBe("unknown");
    expect(verdict("-p dccp -m dccp ! --sport 5000 --dccp-option 1", env)).toBe(false);
  });
});
