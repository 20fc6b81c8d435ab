export * from "./diagnostic.js";
export * from "./render.js";
export * from "./source.js";
