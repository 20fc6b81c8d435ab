/**
 * Numbers, ports and protocols as libxtables reads them: strtoul's notations
 * (the plain decimal ones read without a regular expression), service names.
 */
import { describe, expect, test } from "vitest";
import { inetAton, parseCNumber, protocolName, protocolNumber } from "../../src/ext/values.js";
import { SERVICE_PORTS } from "../../src/ext/data/services.js";

describe("strtoul(s, NULL, 0)", () => {
  test("decimal, with or without sign and leading blanks, up to and beyond 9 digits", () => {
    expect(["0", "7", "65535", "123456789", "1234567890", "18446744073709551615", "+80", " 80"].map(parseCNumber)).toEqual([0n, 7n, 65535n, 123456789n, 1234567890n, 18446744073709551615n, 80n, 80n]);
  });

  test("a leading 0 is octal, 0x hexadecimal", () => {
    expect(["010", "00", "0x1F", "0X10"].map(parseCNumber)).toEqual([8n, 0n, 31n, 16n]);
  });

  test("anything else is no number", () => {
    expect(["", "08", "1a", "tcp", "-1", "12 ", "1.5", "0x"].map(parseCNumber)).toEqual(Array(8).fill(undefined));
  });
});

test("no service name starts with a digit (parsePort does not look numbers up as names)", () => {
  expect([...SERVICE_PORTS.keys()].filter((k) => /^[0-9]/.test(k))).toEqual([]);
});

test("protocols by name and number: libxtables' own names first, the first name of a number printed", () => {
  expect(["tcp", "icmpv6", "ipv6-icmp", "mh", "all", "6", "0x11", "gre", "256"].map(protocolNumber)).toEqual([6, 58, 58, 135, 0, 6, 17, 47, undefined]);
  expect([6, 58, 135, 0, 47].map(protocolName)).toEqual(["tcp", "ipv6-icmp", "mobility-header", "all", "gre"]);
});

test("inet_aton: dotted quads, fewer parts filling the last bytes, C notations (a leading 0 is octal)", () => {
  expect(["255.255.255.255", "10.1.2.3", "10.1", "24", "010.0.0.1", "0x0a.0.0.1", "1.2.3.0377"].map(inetAton)).toEqual([0xffffffff, 0x0a010203, 0x0a000001, 24, 0x08000001, 0x0a000001, 0x010203ff]);
  expect(["08.0.0.1", "1.2.3.256", "1.2.3.4.5", "", "a.b.c.d"].map(inetAton)).toEqual(Array(5).fill(undefined));
});
