/**
 * A value as one line of JSON (without the line end), with every non-ASCII
 * character escaped (`→` as `\u2192`): the same JSON value, and a string V8
 * keeps one byte a character, which it writes out several times faster than
 * one with a single wider character in it (a batch prints megabytes).
 */
export function jsonLine(value: unknown): string {
  const json = JSON.stringify(value);
  // All ASCII exactly when UTF-8 needs one byte a character (this is quicker to ask than a regular expression).
  if (Buffer.byteLength(json) === json.length) return json;
  // replace() keeps the wide representation; a round trip through latin1 makes the all-ASCII text one byte a character again.
  return Buffer.from(json.replace(NON_ASCII, escapeChar), "latin1").toString("latin1");
}

const NON_ASCII = /[^\x00-\x7f]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
