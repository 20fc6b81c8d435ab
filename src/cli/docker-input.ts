/**
 * Docker's names for what the rules only know by address and bridge: `docker inspect`
 * output (`--docker-inspect`) and `docker network inspect` output (`--docker-networks`),
 * else the snapshot's Docker section. A bad file is an error (exit 2); a bad snapshot
 * section only a warning, since the answer does not depend on names.
 */
import { dockerInventory, parseDockerInspect, parseDockerNetworkInspect, warning, type Diagnostic, type DockerInventory, type DockerSection, type LoadedSnapshot, type Parsed } from "../index.js";
import { orFail, printDiagnostics, readInput, sourceOf } from "./input.js";
import type { CliIO } from "./io.js";

export interface DockerOptions {
  /** `docker inspect` of the containers. */
  readonly dockerInspect?: string;
  /** `docker network inspect` of the networks. */
  readonly dockerNetworks?: string;
}

/** The inventory, or undefined when neither the flags nor the snapshot give Docker's metadata. */
export async function loadDockerInventory(io: CliIO, options: DockerOptions, snapshot: LoadedSnapshot | undefined): Promise<DockerInventory | undefined> {
  const part = async <T>(path: string | undefined, section: keyof DockerSection, parse: (text: string, file: string) => Parsed<T[]>): Promise<T[] | undefined> => {
    if (path !== undefined) {
      const source = await readInput(io, path, "docker");
      return orFail(io, parse(source.text, path), source, path);
    }
    const text = snapshot?.dockerJson(section);
    return text === undefined ? undefined : snapshotPart(io, snapshot!, section, parse(text, snapshot!.file));
  };
  const containers = await part(options.dockerInspect, "containers", parseDockerInspect);
  const networks = await part(options.dockerNetworks, "networks", parseDockerNetworkInspect);
  return containers === undefined && networks === undefined ? undefined : dockerInventory(containers ?? [], networks ?? []);
}

function snapshotPart<T>(io: CliIO, snapshot: LoadedSnapshot, section: keyof DockerSection, parsed: Parsed<T[]>): T[] | undefined {
  if (parsed.ok) return parsed.value;
  const asWarnings: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, severity: "warning" }));
  printDiagnostics(io, [...asWarnings, warning("docker-ignored", `${snapshot.file}: its docker ${section} are not used; they are not named`)], sourceOf(snapshot));
  return undefined;
}
