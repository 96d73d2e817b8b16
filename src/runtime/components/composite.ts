/** Several component hosts behind one: the first host that supports a component runs it. */
import type { ComponentDescription, ComponentHost, ComponentInvocation, ComponentOutcome } from './host';
import { nodeError } from './host';

export class CompositeHost implements ComponentHost {
  constructor(private readonly hosts: readonly ComponentHost[]) {}

  supports(componentId: string, operation: string): boolean {
    return this.hosts.some((host) => host.supports(componentId, operation));
  }

  invoke(invocation: ComponentInvocation): Promise<ComponentOutcome> {
    const host = this.hosts.find((candidate) => candidate.supports(invocation.componentId, invocation.operation));
    if (!host) {
      return Promise.resolve(nodeError('component_unavailable', `no host can run component \`${invocation.componentId}\``));
    }
    return host.invoke(invocation);
  }

  async describe(componentId: string): Promise<ComponentDescription | null> {
    for (const host of this.hosts) {
      const description = (await host.describe?.(componentId)) ?? null;
      if (description) return description;
    }
    return null;
  }
}
