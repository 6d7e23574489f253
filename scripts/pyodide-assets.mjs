// Copies the Pyodide runtime into the static assets (web/dist/static/pyodide/), where the Python
// runner's dynamic isolate loads it from — the ~9.6 MB wasm and the stdlib zip never enter the
// main Worker's bundle. The wasm's declared memory maximum is rewritten on the way (64 MiB by
// default) so a large allocation raises MemoryError inside Python instead of growing the isolate.
// Node built-ins only.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];
export const DEFAULT_PYTHON_MEMORY_BYTES = 64 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;

function readLeb(bytes, offset) {
  let value = 0;
  let shift = 0;
  let position = offset;
  let byte;
  do {
    byte = bytes[position++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return { value, length: position - offset };
}

/** Writes `value` as an unsigned LEB128 padded to exactly `length` bytes (wasm accepts padding). */
function writePaddedLeb(bytes, offset, value, length) {
  let rest = value;
  for (let i = 0; i < length; i++) {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes[offset + i] = i === length - 1 ? low : low | 0x80;
  }
  if (rest !== 0) throw new Error(`${value} does not fit in ${length} LEB128 bytes`);
}

/**
 * Returns a copy of a wasm binary whose (single, defined) memory has `maximumBytes` as its
 * declared maximum. The rewrite keeps every byte length, so no section offset moves.
 */
export function setWasmMemoryMaximum(wasm, maximumBytes) {
  const bytes = Uint8Array.from(wasm);
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error("not a wasm binary");
  const maxPages = Math.floor(maximumBytes / WASM_PAGE);
  let position = 8;
  while (position < bytes.length) {
    const id = bytes[position++];
    const size = readLeb(bytes, position);
    position += size.length;
    const end = position + size.value;
    if (id === 5) {
      let cursor = position;
      const count = readLeb(bytes, cursor);
      cursor += count.length;
      if (count.value !== 1) throw new Error(`expected one memory, found ${count.value}`);
      const flags = bytes[cursor++];
      const minimum = readLeb(bytes, cursor);
      cursor += minimum.length;
      if (maxPages < minimum.value) throw new Error(`maximum ${maxPages} pages is below the initial ${minimum.value} pages`);
      if (!(flags & 1)) throw new Error("the memory declares no maximum to rewrite");
      const maximum = readLeb(bytes, cursor);
      writePaddedLeb(bytes, cursor, maxPages, maximum.length);
      return { bytes, initialPages: minimum.value, previousMaximumPages: maximum.value, maximumPages: maxPages };
    }
    position = end;
  }
  throw new Error("the wasm binary defines no memory (an imported memory cannot be rewritten here)");
}

/** Copies Pyodide's runtime files from `packageDir` into `targetDir`, capping the wasm memory. */
export function copyPyodideAssets(packageDir, targetDir, maximumBytes = DEFAULT_PYTHON_MEMORY_BYTES) {
  mkdirSync(targetDir, { recursive: true });
  for (const file of PYODIDE_FILES) {
    if (file === "pyodide.asm.wasm") {
      const { bytes } = setWasmMemoryMaximum(readFileSync(join(packageDir, file)), maximumBytes);
      writeFileSync(join(targetDir, file), bytes);
    } else {
      copyFileSync(join(packageDir, file), join(targetDir, file));
    }
  }
}
