/** CIDRs as iptables reads `-s`/`-d`: `addr`, `addr/len` or `addr/mask`, stored masked; what is wrong said in words. */
import { describe, expect, test } from "vitest";
import { formatCidr, parseCidr } from "../../src/model/address.js";

describe("parseCidr, IPv4", () => {
  test("an address alone is /32; a prefix length of one or two digits up to 32; the address is masked", () => {
    expect(parseCidr("10.1.2.3", "ipv4")).toEqual({ family: "ipv4", address: 0x0a010203, mask: 0xffffffff });
    expect(parseCidr("10.1.2.3/8", "ipv4")).toEqual({ family: "ipv4", address: 0x0a000000, mask: 0xff000000 });
    expect(parseCidr("192.168.7.9/0", "ipv4")).toEqual({ family: "ipv4", address: 0, mask: 0 });
    expect(parseCidr("172.18.0.26/32", "ipv4")).toEqual({ family: "ipv4", address: 0xac12001a, mask: 0xffffffff });
    expect(parseCidr("10.1.2.3/08", "ipv4")).toEqual(parseCidr("10.1.2.3/8", "ipv4"));
  });

  test("a mask that is no prefix length is read as a dotted mask, contiguous or not", () => {
    expect(["10.1.2.3/255.255.0.0", "10.1.2.3/255.0.255.0"].map((t) => formatCidr(parseCidr(t, "ipv4") as never))).toEqual(["10.1.0.0/16", "10.0.2.0/255.0.255.0"]);
  });

  test("what is wrong, in words", () => {
    expect(["10.1.2", "10.1.2.3.4/8", "10.1.2.3/33", "10.1.2.3/", "10.1.2.3/032", "10.1.2.3/8/8", "host/8"].map((t) => parseCidr(t, "ipv4"))).toEqual([
      '"10.1.2" is not an IPv4 address',
      '"10.1.2.3.4" is not an IPv4 address',
      '"33" is not a valid IPv4 mask',
      '"" is not a valid IPv4 mask',
      '"032" is not a valid IPv4 mask',
      '"8/8" is not a valid IPv4 mask',
      '"host" is not an IPv4 address',
    ]);
  });
});

test("parseCidr, IPv6: prefix lengths up to 128, full masks, and what is wrong", () => {
  expect(formatCidr(parseCidr("2001:db8::1/32", "ipv6") as never)).toBe("2001:db8::/32");
  expect(formatCidr(parseCidr("2001:db8::1/ffff:ffff::", "ipv6") as never)).toBe("2001:db8::/32");
  expect(formatCidr(parseCidr("::1", "ipv6") as never)).toBe("::1/128");
  expect(["2001:db8::1/129", "2001:db8:::1"].map((t) => parseCidr(t, "ipv6"))).toEqual(['"129" is not a valid IPv6 mask', '"2001:db8:::1" is not an IPv6 address']);
});

test("an IPv6 /0 is ::/0 whatever its address", () => {
  expect(parseCidr("2001:db8::1/0", "ipv6")).toEqual({ family: "ipv6", address: 0n, mask: 0n });
  expect(formatCidr(parseCidr("::/0", "ipv6") as never)).toBe("::/0");
});
