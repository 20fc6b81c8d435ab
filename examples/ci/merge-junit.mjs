#!/usr/bin/env node
// Merges JUnit XML reports, one a CI job (a fleet's hosts), into one for the test reporter:
// every <testsuite> of every file under one <testsuites> whose counts are their sums.
//
//   node merge-junit.mjs reports/*.xml > merged.xml
//
// It reads the markup nfwalk (and most JUnit writers) write: no CDATA sections or comments.
import { readFileSync } from "node:fs";

const COUNTS = ["tests", "failures", "errors"];
const totals = Object.fromEntries(COUNTS.map((key) => [key, 0]));
const suites = [];
for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, "utf8");
  // "<" is always escaped inside text and attributes, so these are the elements themselves.
  for (const suite of xml.match(/<testsuite\b[^>]*\/>|<testsuite[\s>][\s\S]*?<\/testsuite>/g) ?? []) {
    const start = suite.slice(0, suite.indexOf(">"));
    for (const key of COUNTS) totals[key] += Number(new RegExp(`\\b${key}="(\\d+)"`).exec(start)?.[1] ?? 0);
    suites.push(`  ${suite}`);
  }
}
const attributes = COUNTS.map((key) => `${key}="${totals[key]}"`).join(" ");
process.stdout.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="merged" ${attributes}>\n${suites.join("\n")}\n</testsuites>\n`);
