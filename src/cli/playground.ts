/**
 * `nfwalk playground`: serves the built playground page (dist/playground/, made by `npm run
 * build` and shipped in the package) on 127.0.0.1 only, and the files given with --rules as
 * preload.json, which the page opens first. It serves until interrupted.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { readInput, UsageError } from "./input.js";
import { EXIT, type CliIO } from "./io.js";
import { packageDirectory } from "./version.js";

interface PlaygroundOptions {
  port: string;
  rules: string[];
}

const DEFAULT_PORT = 8378;

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerPlayground(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("playground")
    .description("serve the playground page on 127.0.0.1: edit rules and watch a packet's path through netfilter, step by step")
    .option("--port <n>", `the port to serve on; 0 picks a free one (default ${DEFAULT_PORT})`, String(DEFAULT_PORT))
    .option("--rules <file>", "an iptables-save dump the page opens (repeatable: the page lists each)", collect, [])
    .action(async (options: PlaygroundOptions) => {
      const port = portOf(options.port);
      const preload = JSON.stringify(await Promise.all(options.rules.map(async (path) => ({ name: path, text: (await readInput(io, path, "rules")).text }))));
      const root = pageDirectory();
      // Loaded here, not with the command line: every other command would pay for loading it.
      const { createServer } = await import("node:http");
      const server = createServer((request, response) => respond(root, preload, request, response));
      await new Promise<void>((resolve, reject) => {
        server.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new UsageError(`--port ${port}: the port is in use (--port 0 picks a free one)`) : e));
        server.listen(port, "127.0.0.1", resolve);
      });
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : port}/`;
      io.stdout(`${url}\n`);
      io.stderr(`nfwalk playground: serving the page at ${url} on this machine only; Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      setExit(EXIT.ok);
    });
}

function portOf(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port "${text}": expected a port number from 0 to 65535`);
  return Number(text);
}

/** dist/playground/ of the installed package. */
function pageDirectory(): string {
  const pkg = packageDirectory();
  const dir = pkg && fileURLToPath(new URL("dist/playground/", pkg.url));
  if (dir === undefined || !existsSync(join(dir, "index.html"))) throw new UsageError("the playground page is not built: run `npm run build` in nfwalk's folder");
  return dir;
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

// The page needs nothing from elsewhere: the browser is told so, and refuses anything else. CodeMirror sets styles inline.
const HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function respond(root: string, preload: string, request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== "GET" && request.method !== "HEAD") return void response.writeHead(405, { allow: "GET, HEAD" }).end();
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
  } catch {
    return void response.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request\n");
  }
  if (path === "/preload.json") {
    response.writeHead(200, { ...HEADERS, "content-type": TYPES[".json"] });
    return void response.end(request.method === "HEAD" ? undefined : preload);
  }
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  const found = file.startsWith(root.endsWith(sep) ? root : root + sep) && existsSync(file) && statSync(file).isFile();
  if (!found) return void response.writeHead(404, { ...HEADERS, "content-type": "text/plain; charset=utf-8" }).end("not found\n");
  response.writeHead(200, { ...HEADERS, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  if (request.method === "HEAD") return void response.end();
  createReadStream(file).pipe(response);
}
