/**
 * `nfwalk reach` and `nfwalk diff` on examples/docker-host (a change that
 * publishes the database container by mistake): each command's output is
 * exactly the golden file examples/docker-host/sets/NAME.txt, with its exit
 * code, and the README quotes the ones it shows word for word.
 * `UPDATE_GOLDEN=1 npx vitest run test/sets/goldens.test.ts` rewrites them.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe } from "vitest";
import { commandGoldens } from "../helpers/command-goldens.js";

const dir = resolve(import.meta.dirname, "../../examples/docker-host");
const files = Object.fromEntries(["rules.v4", "rules-db-published.v4", "ip-addr.json", "ip-route.json"].map((f) => [f, readFileSync(join(dir, f), "utf8")]));

describe("reach and diff on examples/docker-host", () => {
  commandGoldens(join(dir, "sets"), files);
});
