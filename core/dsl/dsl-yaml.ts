import { parse, stringify, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from "yaml";
import { checkDslVersion, parseAppDsl, type AppDsl, type DslImportStatus } from "./app-dsl";
import { PYYAML_SCHEMA } from "./pyyaml-schema";

/** Dify's `DSL_MAX_SIZE`. */
export const DSL_MAX_BYTES = 10 * 1024 * 1024;

/** App modes Waggle can import (Dify's, without `rag-pipeline`). */
export const IMPORTABLE_APP_MODES = ["workflow", "advanced-chat", "chat", "agent-chat", "completion"] as const;

// Dify writes and reads DSL with PyYAML, so scalars resolve as PyYAML resolves them. Duplicate
// keys are allowed (the last wins), as in PyYAML. `maxAliasCount` stops alias bombs ("billion
// laughs") before they expand.
const READ_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {
  ...PYYAML_SCHEMA,
  uniqueKeys: false,
  maxAliasCount: 100,
  logLevel: "error",
};

export type DslReadResult =
  | {
      ok: true;
      status: Exclude<DslImportStatus, "failed">;
      importedVersion: string;
      /** The typed document (defaults applied). */
      dsl: AppDsl;
      /** The document exactly as written, with `version` filled in and `kind: app`: what drafts store. */
      document: Record<string, unknown>;
    }
  | { ok: false; status: "failed"; importedVersion: string; error: string };

export interface ReadDslOptions {
  maxBytes?: number;
  /** Modes this runtime can create; default {@link IMPORTABLE_APP_MODES}. */
  modes?: readonly string[];
}

const failed = (error: string, importedVersion = ""): DslReadResult => ({ ok: false, status: "failed", importedVersion, error });

/**
 * Reads a Dify DSL YAML file without running anything in it: size cap, parsing as PyYAML does
 * with an alias limit, Dify's version rules (missing version = `0.1.0`, `kind` forced to `app`), the app
 * mode, then the document schema. Failures are data with a message a person can act on.
 *
 * @example
 * const read = readDslYaml(text);
 * if (!read.ok) return { status: "failed", error: read.error };
 */
export function readDslYaml(text: string, options: ReadDslOptions = {}): DslReadResult {
  const maxBytes = options.maxBytes ?? DSL_MAX_BYTES;
  if (typeof text !== "string" || text.trim() === "") return failed("The DSL is empty");
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit, so most texts skip the encoding.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && new TextEncoder().encode(text).byteLength > maxBytes)) {
    return failed(`File size exceeds the limit of ${Math.round(maxBytes / 1024 / 1024)}MB`);
  }

  let data: unknown;
  try {
    data = parse(text, READ_OPTIONS);
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return failed("Invalid YAML format: too many aliases (the document would expand far beyond its size)");
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return failed(`Invalid YAML format: ${message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return failed("Invalid YAML format: content must be a mapping");
  const document = { ...(data as Record<string, unknown>) };

  // Dify: a missing (or empty) version means 0.1.0; anything but a string is refused.
  if (document.version === undefined || document.version === null || document.version === "") document.version = "0.1.0";
  if (typeof document.version !== "string") {
    return failed(`Invalid version type: expected a string such as "0.6.0", got ${typeof document.version} ${JSON.stringify(document.version)}`);
  }
  const importedVersion = document.version;
  document.kind = "app";
  if (checkDslVersion(importedVersion) === "failed") return failed(`Invalid DSL version ${JSON.stringify(importedVersion)}`, importedVersion);

  const app = document.app;
  if (typeof app !== "object" || app === null || Array.isArray(app) || Object.keys(app).length === 0) return failed("Missing app data in YAML content", importedVersion);
  const mode = (app as Record<string, unknown>).mode;
  if (mode === undefined || mode === null || mode === "") return failed("The DSL has no app.mode", importedVersion);
  const modes = options.modes ?? IMPORTABLE_APP_MODES;
  if (typeof mode !== "string" || !modes.includes(mode)) {
    return failed(`Invalid app mode ${JSON.stringify(mode)}: expected one of ${modes.join(", ")}`, importedVersion);
  }

  const parsed = parseAppDsl(document);
  if (!parsed.ok) {
    const listed = parsed.problems.slice(0, 5).map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message));
    const more = parsed.problems.length > 5 ? ` (and ${parsed.problems.length - 5} more)` : "";
    return failed(`Invalid DSL: ${listed.join("; ")}${more}`, importedVersion);
  }
  if (parsed.status === "failed") return failed(`Invalid DSL version ${JSON.stringify(importedVersion)}`, importedVersion);
  return { ok: true, status: parsed.status, importedVersion, dsl: parsed.dsl, document };
}

/**
 * Writes a DSL document as Dify does (`yaml.dump`): block style, keys sorted, quoting what PyYAML
 * would otherwise read as another type (`"yes"`, `"on"`, `"0.6"`), no anchors, no line wrapping.
 *
 * @example
 * const text = writeDslYaml(prepareDslExport({ app, workflow }));
 */
export function writeDslYaml(document: Record<string, unknown>): string {
  return stringify(document, { ...PYYAML_SCHEMA, sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}
