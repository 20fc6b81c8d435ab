export * from "./diagnostic.js";
export * from "./render.js";
export * from "./source.js";
export * from "./summary.js";
