import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM helper shared with the scripts
import { setWasmMemoryMaximum } from "./pyodide-assets.mjs";

describe("setWasmMemoryMaximum", () => {
  it("caps Pyodide's declared memory maximum without moving any byte", () => {
    const original = readFileSync(new URL("../node_modules/pyodide/pyodide.asm.wasm", import.meta.url));
    const { bytes, initialPages, previousMaximumPages, maximumPages } = setWasmMemoryMaximum(original, 64 * 1024 * 1024);
    expect(bytes.length).toBe(original.length);
    expect(maximumPages).toBe(1024);
    expect(previousMaximumPages).toBeGreaterThan(maximumPages);
    expect(initialPages).toBeLessThanOrEqual(maximumPages);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it("refuses a maximum below the initial memory", () => {
    const original = readFileSync(new URL("../node_modules/pyodide/pyodide.asm.wasm", import.meta.url));
    expect(() => setWasmMemoryMaximum(original, 1024 * 1024)).toThrow(/below the initial/);
  });

  it("rewrites a tiny module's memory so growing past the cap fails", async () => {
    // (module (memory (export "m") 1 65536)) — the maximum encoded in 3 LEB128 bytes, as Emscripten emits it.
    const tiny = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 6, 1, 1, 1, 0x80, 0x80, 0x04, 7, 5, 1, 1, 0x6d, 2, 0]);
    const { bytes } = setWasmMemoryMaximum(tiny, 2 * 65536);
    const { instance } = await WebAssembly.instantiate(bytes);
    const memory = instance.exports.m as WebAssembly.Memory;
    expect(memory.grow(1)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });
});
