/**
 * The layers of src/, lowest first (ARCHITECTURE.md explains each). A module may import
 * modules of its own layer entry and of lower layers only; entries on one line are
 * siblings and do not import each other. An entry is a folder under src/, or a name and
 * the files it covers when part of a folder sits lower than the rest. A new folder under
 * src/ gets a place here.
 */
const LAYERS = [
  ["diag"],
  // Test reports (JUnit, TAP, GitHub's commands): the shape every checking command fills, above nothing but diag.
  ["report"],
  ["parse"],
  ["model"],
  // The packet-set algebra (intervals and boxes) is data like the model; extensions describe their matches with it.
  ["packet", { name: "packet-sets", path: "^src/sets/(intervals|packet-set|address-set)\\.ts$" }],
  ["ext"],
  ["ruleset"],
  ["host"],
  ["engine"],
  ["trace", "docker", "kube"],
  ["snapshot"],
  ["sets"],
  // why proves each fix it prints with the packet sets' diff.
  ["why", "diagram"],
  ["lint", "check"],
  ["api"],
  ["index.ts"],
  ["cli"],
].map((layer) => layer.map((entry) => (typeof entry === "string" ? { name: entry.replace(".ts", ""), path: pathOf(entry) } : entry)));

function pathOf(folder) {
  return folder.endsWith(".ts") ? `^src/${folder.replace(".", "\\.")}$` : `^src/${folder}/`;
}

const either = (entries) => entries.map((entry) => entry.path).join("|");

const layerRules = LAYERS.flatMap((layer, rank) => {
  const below = LAYERS.slice(0, rank).flat();
  const above = LAYERS.slice(rank + 1).flat();
  return layer.flatMap((entry) => {
    const forbidden = [...above, ...layer.filter((other) => other !== entry)];
    if (forbidden.length === 0) return [];
    return [
      {
        name: `layer-${entry.name}`,
        comment: `${entry.name} may import only its own modules and the layers below it (see ARCHITECTURE.md).`,
        severity: "error",
        // A file that a lower entry covers (packet-sets inside sets/) follows that entry's rule.
        from: { path: entry.path, ...(below.length > 0 && { pathNot: either(below) }) },
        to: { path: either(forbidden), pathNot: either([...below, entry]) },
      },
    ];
  });
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "cli-uses-the-public-api",
      comment: "The command is a shell over the library: it imports src/index.ts, its own modules, node: and commander only.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/", pathNot: ["^src/index\\.ts$", "^src/cli/"] },
    },
    {
      name: "playground-uses-the-public-api",
      comment: "The playground page computes through the library's public API only, as the command does.",
      severity: "error",
      from: { path: "^playground/" },
      to: { path: "^src/", pathNot: "^src/index\\.ts$" },
    },
    {
      name: "every-module-has-a-layer",
      comment: "A new folder under src/ needs its place in LAYERS (.dependency-cruiser.cjs) and ARCHITECTURE.md.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/parse/generated/", either(LAYERS.flat())] },
      to: {},
    },
    {
      name: "no-circular",
      comment: "Modules import each other in one direction only, types included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-node-below-cli",
      comment: "Everything below the command line runs in a browser too: files, processes and streams belong to src/cli/.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "no-packages-below-cli",
      comment: "The library has no runtime dependencies; commander serves the command line only.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve is a typo or a missing dependency (the playground's virtual:gallery is made by its build).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, pathNot: "^virtual:gallery$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/parse/generated/" },
    // Type-only imports count: a type circle is still a circle, and a wrong-way type import still couples the layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
