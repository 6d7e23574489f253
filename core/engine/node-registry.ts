import type { NodeTypeCatalog, NodeTypeInfo } from "../dsl";
import type { NodeDefinition } from "./node-contract";

/**
 * Maps `data.type` to a node definition. Built-ins are registered by `core/nodes`; LLM, code,
 * HTTP, tool... register themselves the same way. Doubles as the DSL validator's catalog.
 *
 * @example
 * const registry = new NodeRegistry().register(myNode);
 * validateGraph(graph, { nodeTypes: registry });
 */
export class NodeRegistry implements NodeTypeCatalog {
  private readonly definitions = new Map<string, NodeDefinition>();
  /** Bumped on every registration, so graphs compiled against an older set are recompiled. */
  version = 0;

  /** Registering a type twice is a bug unless `replace` says it is intended (tests, overrides). */
  register(definition: NodeDefinition<any>, options: { replace?: boolean } = {}): this {
    if (this.definitions.has(definition.type) && !options.replace) throw new Error(`Node type "${definition.type}" is already registered`);
    this.definitions.set(definition.type, definition as NodeDefinition);
    this.version++;
    return this;
  }

  get(type: string): NodeDefinition | undefined {
    return this.definitions.get(type);
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }

  lookup(type: string): NodeTypeInfo | undefined {
    return this.definitions.get(type);
  }

  /** A copy to extend without touching this one. */
  clone(): NodeRegistry {
    const copy = new NodeRegistry();
    for (const definition of this.definitions.values()) copy.register(definition);
    return copy;
  }
}
