/**
 * The layers of src/, lowest first (ARCHITECTURE.md explains each). A module may import
 * modules of its own folder and of lower layers only; layers on one line are
 * siblings and do not import each other. A new folder under src/ gets a place here.
 */
const LAYERS = [
  ["diag"],
  ["parse"],
  ["model"],
  ["packet"],
  ["ext"],
  ["ruleset"],
  ["host"],
  ["engine"],
  ["trace", "docker", "kube"],
  ["snapshot"],
  ["why", "sets"],
  ["api"],
  ["index.ts"],
  ["cli"],
];

const folder = (name) => (name.endsWith(".ts") ? `^src/${name.replace(".", "\\.")}$` : `^src/${name}/`);
const either = (names) => names.map(folder).join("|");

const layerRules = LAYERS.flatMap((layer, rank) => {
  const above = LAYERS.slice(rank + 1).flat();
  return layer.flatMap((name) => {
    const siblings = layer.filter((other) => other !== name);
    const forbidden = [...above, ...siblings];
    if (forbidden.length === 0) return [];
    return [
      {
        name: `layer-${name.replace(".ts", "")}`,
        comment: `${name} may import only its own folder and the layers below it (see ARCHITECTURE.md).`,
        severity: "error",
        from: { path: folder(name) },
        to: { path: either(forbidden) },
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
      comment: "An import that does not resolve is a typo or a missing dependency.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
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
