/** The flows of one pack, as the engine sees them: compiled flows by id, with node lookup. */
import type { CompiledFlow, CompiledNode } from '../../shared/flow/compiled';

export class FlowCatalog {
  private readonly flows = new Map<string, IndexedFlow>();

  constructor(
    readonly packId: string,
    flows: Iterable<CompiledFlow>,
  ) {
    for (const flow of flows) this.flows.set(flow.id, new IndexedFlow(flow));
  }

  get(flowId: string): IndexedFlow | undefined {
    return this.flows.get(flowId);
  }

  ids(): string[] {
    return [...this.flows.keys()];
  }

  all(): IndexedFlow[] {
    return [...this.flows.values()];
  }
}

export class IndexedFlow {
  private readonly byId = new Map<string, CompiledNode>();

  constructor(readonly flow: CompiledFlow) {
    for (const node of flow.nodes) this.byId.set(node.id, node);
  }

  get id(): string {
    return this.flow.id;
  }

  node(nodeId: string): CompiledNode | undefined {
    return this.byId.get(nodeId);
  }

  /** `entrypoints.default` when it is a string, else the first node (runtime.md §2). */
  startNode(): string | null {
    const entry = this.flow.entrypoints.default;
    if (typeof entry === 'string' && entry.length > 0) return entry;
    return this.flow.nodes[0]?.id ?? null;
  }
}
