/**
 * The README's "trace a packet in TypeScript" example, run the way a user runs it: the
 * package packed with `npm pack`, unpacked as a dependency of a new project, the example
 * type-checked against the package's own declarations and run, importing "nfwalk" by name.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "nfwalk-readme-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The TypeScript block after the README's marker comment. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = /<!-- the block below runs in test\/api\/readme-example\.test\.ts[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error("README.md has no example block after the marker");
  return m[1]!;
}

test("the README's ten-line example runs against the packed package", () => {
  const example = readmeExample();
  expect(example.split("\n").filter((line) => line.trim() !== "").length).toBeLessThanOrEqual(10);
  if (!existsSync(join(root, "dist/index.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });

  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!;
  const project = join(work, "project");
  const installed = join(project, "node_modules", "nfwalk");
  mkdirSync(installed, { recursive: true });
  // What `npm install ./nfwalk-x.y.z.tgz` puts in node_modules, without asking the registry for commander (only the CLI needs it).
  execFileSync("tar", ["-xzf", join(work, packed), "-C", installed, "--strip-components=1"]);
  expect(readdirSync(installed)).toEqual(expect.arrayContaining(["dist", "package.json"]));

  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "readme-example", type: "module", private: true }));
  writeFileSync(join(project, "example.ts"), example);
  const tsconfig = {
    compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, types: ["node"], typeRoots: [join(root, "node_modules/@types")], skipLibCheck: true },
    files: ["example.ts"],
  };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
  // Type-checked against the declarations in the package (dist/*.d.ts), as a user's editor would.
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", project], { cwd: project, encoding: "utf8" });

  const output = execFileSync(process.execPath, [join(project, "example.js")], { cwd: root, encoding: "utf8" });
  expect(output).toBe("forwarded docker0 172.17.0.2\n");
});
