/**
 * Strings as the kernel's fixed-size fields hold them: UTF-8 bytes, counted and cut by bytes
 * (strncpy), not by characters. TextEncoder and TextDecoder are in every browser and in Node
 * alike; Buffer is Node's alone, and the extensions run in the playground's page too.
 */
const encoder = new TextEncoder();
/** Not fatal: a cut through a character decodes to U+FFFD, as iptables then prints it. */
const decoder = new TextDecoder();

/** The text's UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes read as UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** How many bytes the text takes in UTF-8. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** The longest start of `text` that fits in `bytes` UTF-8 bytes: the text itself when it fits. */
export function truncateUtf8(text: string, bytes: number): string {
  // A UTF-16 unit takes at most 3 bytes in UTF-8: a short text needs no encoding to be known to fit.
  if (text.length * 3 <= bytes) return text;
  const encoded = encoder.encode(text);
  return encoded.length <= bytes ? text : decoder.decode(encoded.subarray(0, bytes));
}
