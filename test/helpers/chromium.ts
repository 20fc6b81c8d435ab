import { existsSync } from "node:fs";

/**
 * The Chromium the browser tests drive through playwright-core: NFWALK_CHROMIUM, or the
 * system's (Debian's `chromium` package, which .ci/run installs); undefined when there is none.
 */
export const chromiumPath: string | undefined = process.env["NFWALK_CHROMIUM"] ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));

/** Why a browser test skips, for its note. */
export const NO_CHROMIUM = "no Chromium found (Debian: apt-get install chromium; or NFWALK_CHROMIUM=/path/to/chrome)";
