/**
 * IPv4 and IPv6 addresses and masks as iptables reads and prints them:
 * `-s 10.1.2.3/8` is stored masked (10.0.0.0/8), a dotted mask is accepted,
 * a contiguous mask prints as a prefix length and any other mask in full.
 */
import type { Cidr, Family } from "./types.js";

/** Dotted quad to a 32-bit number; undefined unless exactly four decimal octets (hot: every -s/-d). */
export function parseIPv4(text: string): number | undefined {
  return parseIPv4Between(text, 0, text.length);
}

/** parseIPv4 of text[start, end), so that `addr/len` (or DNAT's `addr-addr:port`) is read without cutting it in pieces. */
export function parseIPv4Between(text: string, start: number, end: number): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (value * 256 + octet) >>> 0;
}

export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

export function parseIPv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: number | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const words = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const w of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const left = words(halves[0]!);
  const right = halves.length === 2 ? words(halves[1]!) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...new Array<number>(missing).fill(0), ...right];
  let value = 0n;
  for (const w of all) value = (value << 16n) | BigInt(w);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return value;
}

/** Text as glibc's inet_ntop writes it: longest zero run (2+ words) as `::`, embedded IPv4 forms. */
export function formatIPv6(value: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  const embedsV4 = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
  if (embedsV4) return `::${bestLength === 5 ? "ffff:" : ""}${formatIPv4(Number(value & 0xffffffffn))}`;
  const hexWords = words.map((w) => w.toString(16));
  if (bestStart === -1) return hexWords.join(":");
  return `${hexWords.slice(0, bestStart).join(":")}::${hexWords.slice(bestStart + bestLength).join(":")}`;
}

const ALL_V6 = (1n << 128n) - 1n;

function prefixMaskV4(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

function prefixMaskV6(length: number): bigint {
  return length === 0 ? 0n : (ALL_V6 << BigInt(128 - length)) & ALL_V6;
}

/** The prefix length of a contiguous mask, or undefined. */
export function prefixLength(cidr: Cidr): number | undefined {
  if (cidr.family === "ipv4") {
    const hostBits = ~cidr.mask >>> 0;
    return (hostBits & (hostBits + 1)) === 0 ? Math.clz32(hostBits) : undefined;
  }
  const hostBits = ~cidr.mask & ALL_V6;
  if ((hostBits & (hostBits + 1n)) !== 0n) return undefined;
  return 128 - (hostBits === 0n ? 0 : hostBits.toString(2).length);
}

/**
 * `addr`, `addr/len` or `addr/mask` → masked Cidr, or a message saying what is wrong.
 */
export function parseCidr(text: string, family: Family): Cidr | string {
  const slash = text.indexOf("/");
  if (family === "ipv4") {
    const addressEnd = slash === -1 ? text.length : slash;
    const address = parseIPv4Between(text, 0, addressEnd);
    if (address === undefined) return `"${text.slice(0, addressEnd)}" is not an IPv4 address`;
    const mask = slash === -1 ? V4_PREFIX_MASKS.get(32)! : ipv4Mask(text, slash + 1);
    if (mask === undefined) return `"${text.slice(slash + 1)}" is not a valid IPv4 mask`;
    return { family, address: (address & mask) >>> 0, mask };
  }
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const maskText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = parseIPv6(addrText);
  if (address === undefined) return `"${addrText}" is not an IPv6 address`;
  let mask = ALL_V6;
  if (maskText !== undefined) {
    const length = prefixLengthAt(maskText, 0, 3, 128);
    if (length !== -1) mask = prefixMaskV6(length);
    else {
      const full = parseIPv6(maskText);
      if (full === undefined) return `"${maskText}" is not a valid IPv6 mask`;
      mask = full;
    }
  }
  return mask === 0n ? ANY_IPV6 : { family, address: address & mask, mask };
}

/**
 * `::/0`, made at startup. It also serves memory: once a Cidr's address and mask have held
 * bigints, V8 keeps them as tagged fields in IPv4 Cidrs too. Fields that only ever held numbers
 * would give each IPv4 Cidr number boxes of its own (its mask, and its address from 128.0.0.0);
 * tagged, an address below that takes none and a mask is one number shared by all (V4_PREFIX_MASKS).
 */
const ANY_IPV6: Cidr = Object.freeze({ family: "ipv6", address: 0n, mask: 0n });

/** The mask of each IPv4 prefix length, in a Map: each is one number, where an array of them would be of unboxed doubles. */
const V4_PREFIX_MASKS: ReadonlyMap<number, number> = new Map(Array.from({ length: 33 }, (_, length) => [length, prefixMaskV4(length)]));

/** An IPv4 prefix length (`/24`) or dotted mask (`/255.255.0.0`) from `start` to the end of the text. */
function ipv4Mask(text: string, start: number): number | undefined {
  const length = prefixLengthAt(text, start, 2, 32);
  return length === -1 ? parseIPv4Between(text, start, text.length) : V4_PREFIX_MASKS.get(length);
}

/** A prefix length of 1 to `digits` decimal digits, at most `max`, from `start` to the end of the text; -1 if it is none. */
function prefixLengthAt(text: string, start: number, digits: number, max: number): number {
  const length = text.length - start;
  if (length === 0 || length > digits) return -1;
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= max ? value : -1;
}

/** `a.b.c.d/len` (or `/mask` when not contiguous), as iptables-save prints it. */
export function formatCidr(cidr: Cidr): string {
  const length = prefixLength(cidr);
  if (cidr.family === "ipv4") {
    return `${formatIPv4(cidr.address)}/${length ?? formatIPv4(cidr.mask)}`;
  }
  return `${formatIPv6(cidr.address)}/${length ?? formatIPv6(cidr.mask)}`;
}

/** True for 0.0.0.0/0 and ::/0, which iptables-save leaves out. */
export function isAnyAddress(cidr: Cidr): boolean {
  return cidr.family === "ipv4" ? cidr.mask === 0 && cidr.address === 0 : cidr.mask === 0n && cidr.address === 0n;
}
