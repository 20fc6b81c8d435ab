/**
 * `nfwalk check` on examples/ci/expectations.yaml and the IPv6 router of
 * examples/ci/ipv6 (and the machine formats of
 * `diff` and `lint` that "Use in CI" shows), run from examples/ci as the README shows it: each command's output is exactly the golden file
 * examples/ci/check/NAME.txt, with its exit code, and the README quotes the
 * ones it shows word for word.
 * `UPDATE_GOLDEN=1 npx vitest run test/check/goldens.test.ts` rewrites them.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe } from "vitest";
import { commandGoldens } from "../helpers/command-goldens.js";

const dir = resolve(import.meta.dirname, "../../examples/ci");
// The paths as the commands name them from examples/ci.
const names = [
  "expectations.yaml",
  "rules-db-published.v4",
  ...["rules.v4", "rules-docker-user.v4", "rules-ufw.v4", "ip-addr.json", "ip-route.json"].map((f) => `../docker-host/${f}`),
  ...["expectations.yaml", "rules.v6", "rules-ssh-open.v6", "ip-addr.json", "ip-route.json"].map((f) => `ipv6/${f}`),
];
const files = Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), "utf8")]));

describe("nfwalk check on examples/ci", () => {
  commandGoldens(join(dir, "check"), files);
});
