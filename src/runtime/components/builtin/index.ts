/** The studio's native components, as one component host. */
import type { ComponentDescription, ComponentHost, ComponentInvocation, ComponentOutcome } from '../host';
import { nodeError } from '../host';
import { adaptiveCardComponent, type AssetReader } from './adaptive-card';
import type { BuiltinComponent } from './builtin';
import { qaComponent } from './qa';
import { handlebarsComponent, templatesComponent } from './templating';

export type { AssetReader } from './adaptive-card';

export interface BuiltinHostOptions {
  /** Where card assets are read from; without it, asset cards fail with a clear error. */
  assets?: AssetReader;
}

/** Ids of the built-in components: their calls run in the node's own time, with no host boundary to trace. */
export const BUILTIN_COMPONENT_IDS: ReadonlySet<string> = new Set(
  [handlebarsComponent, templatesComponent, qaComponent, adaptiveCardComponent(undefined)].flatMap((component) => component.ids),
);

export class BuiltinHost implements ComponentHost {
  private readonly byId = new Map<string, BuiltinComponent>();

  constructor(options: BuiltinHostOptions = {}) {
    for (const component of [handlebarsComponent, templatesComponent, qaComponent, adaptiveCardComponent(options.assets)]) {
      for (const id of component.ids) this.byId.set(id, component);
    }
  }

  supports(componentId: string, operation: string): boolean {
    const component = this.byId.get(componentId);
    return component !== undefined && (component.operations === '*' || component.operations.includes(operation));
  }

  async invoke(invocation: ComponentInvocation): Promise<ComponentOutcome> {
    const component = this.byId.get(invocation.componentId);
    if (!component || !this.supports(invocation.componentId, invocation.operation)) {
      return nodeError('unknown_operation', `built-in component \`${invocation.componentId}\` has no operation \`${invocation.operation}\``);
    }
    try {
      return await component.run(invocation);
    } catch (error) {
      return nodeError('internal', `built-in component \`${invocation.componentId}\` crashed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async describe(componentId: string): Promise<ComponentDescription | null> {
    return this.byId.get(componentId)?.describe ?? null;
  }
}
