/**
 * The run's variables, keyed `[node_id][var]` like Dify's VariablePool. Values are plain JSON
 * (files are plain objects), so the pool dumps to JSON for checkpoints as-is.
 */

export type Selector = readonly string[];
export type PoolDump = Record<string, Record<string, unknown>>;

export const SYSTEM_NODE_ID = "sys";
export const ENVIRONMENT_NODE_ID = "env";
export const CONVERSATION_NODE_ID = "conversation";

/** `sys.*` values; unset ones are left out of the pool. */
export interface SystemVariables {
  query?: string;
  files?: unknown[];
  conversation_id?: string;
  user_id?: string;
  app_id?: string;
  workflow_id?: string;
  workflow_run_id?: string;
  dialogue_count?: number;
  timestamp?: number;
  [name: string]: unknown;
}

/** Read access handed to nodes. */
export interface VariableReader {
  /** Resolves `[node_id, var, ...path]`; `undefined` when anything along the way is missing. */
  get(selector: Selector): unknown;
  has(selector: Selector): boolean;
  /** All variables of one node (a copy). */
  getNode(nodeId: string): Record<string, unknown> | undefined;
}

export class VariablePool implements VariableReader {
  private readonly nodes = new Map<string, Record<string, unknown>>();

  /** A fork reads through to `parent` and writes only to itself (iteration and loop rounds). */
  constructor(private readonly parent?: VariablePool) {}

  static create(seed: { system?: SystemVariables; environment?: Record<string, unknown>; conversation?: Record<string, unknown> } = {}): VariablePool {
    const pool = new VariablePool();
    const system: Record<string, unknown> = { files: [] };
    for (const [name, value] of Object.entries(seed.system ?? {})) if (value !== undefined && value !== null) system[name] = value;
    pool.nodes.set(SYSTEM_NODE_ID, system);
    pool.nodes.set(ENVIRONMENT_NODE_ID, { ...(seed.environment ?? {}) });
    pool.nodes.set(CONVERSATION_NODE_ID, { ...(seed.conversation ?? {}) });
    return pool;
  }

  static load(dump: PoolDump): VariablePool {
    const pool = new VariablePool();
    for (const [nodeId, variables] of Object.entries(dump)) pool.nodes.set(nodeId, { ...variables });
    return pool;
  }

  /** Plain JSON; a fork dumps its own writes over its parent's. */
  dump(): PoolDump {
    const out: PoolDump = this.parent ? this.parent.dump() : {};
    for (const [nodeId, variables] of this.nodes) out[nodeId] = { ...variables };
    return out;
  }

  fork(): VariablePool {
    return new VariablePool(this);
  }

  private lookup(nodeId: string): Record<string, unknown> | undefined {
    return this.nodes.get(nodeId) ?? this.parent?.lookup(nodeId);
  }

  get(selector: Selector): unknown {
    if (selector.length < 2) return undefined;
    let value: unknown = this.lookup(selector[0])?.[selector[1]];
    for (let index = 2; index < selector.length && value !== undefined; index++) value = drill(value, selector[index]);
    return value;
  }

  has(selector: Selector): boolean {
    return this.get(selector) !== undefined;
  }

  getNode(nodeId: string): Record<string, unknown> | undefined {
    const variables = this.lookup(nodeId);
    return variables ? { ...variables } : undefined;
  }

  /** Sets `[node_id, var]`, or a nested key when the selector is longer (objects are copied, not mutated). */
  set(selector: Selector, value: unknown): void {
    const [nodeId, name, ...path] = selector;
    if (nodeId === undefined || name === undefined) throw new Error(`Selector ${selector.join(".")} needs a node id and a name`);
    const variables = this.writable(nodeId);
    variables[name] = path.length ? setPath(variables[name], path, value) : value;
  }

  /** Replaces-or-merges a node's outputs in one step. */
  setOutputs(nodeId: string, outputs: Record<string, unknown>): void {
    const variables = this.writable(nodeId);
    for (const key in outputs) variables[key] = outputs[key];
  }

  /** Copy-on-write per node: a fork copies a node's map the first time it writes to it. */
  private writable(nodeId: string): Record<string, unknown> {
    let variables = this.nodes.get(nodeId);
    if (!variables) {
      const inherited = this.parent?.lookup(nodeId);
      variables = inherited ? { ...inherited } : {};
      this.nodes.set(nodeId, variables);
    }
    return variables;
  }

  /** Node ids written in this pool itself (for a fork: its own writes). */
  ownNodeIds(): string[] {
    return [...this.nodes.keys()];
  }
}

/** Dify's file attribute names that differ from the stored file dict's keys. */
const FILE_ATTRIBUTE_ALIASES: Record<string, string> = { name: "filename", url: "remote_url" };

function drill(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    const index = Number(key);
    return Number.isInteger(index) ? value[index] : undefined;
  }
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, key)) return record[key];
  // A selector may name a file attribute (`[start, doc, "name"]`), as Dify's pool allows.
  const alias = FILE_ATTRIBUTE_ALIASES[key];
  return alias && "transfer_method" in record && Object.prototype.hasOwnProperty.call(record, alias) ? record[alias] : undefined;
}

function setPath(target: unknown, path: string[], value: unknown): unknown {
  const [key, ...rest] = path;
  const base = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  base[key] = rest.length ? setPath(base[key], rest, value) : value;
  return base;
}
