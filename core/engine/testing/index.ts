/** Test helpers for the engine and for nodes: graph building, fakes, and small node types. */
export * from "./run-helpers";
export * from "./test-nodes";
