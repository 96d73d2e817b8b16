import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ComponentSummary, ConfigFlowResult, SecretStatus } from '../../../shared/api/components';
import type { componentMethods } from '../../../shared/api/components';
import type { Handlers } from '../../../shared/api/define';
import { StudioError } from '../../../shared/api/define';
import type { JsonValue } from '../../../shared/flow/compiled';
import { isObject } from '../../../shared/flow/json';
import { APPLY_ANSWERS_OP, QA_SPEC_OP } from '../../../shared/flow/qa-spec';
import { projectComponentEntries } from '../../project/components';
import { ConfigFlowError, runConfigFlow } from '../config-flow';
import { standaloneInvocation } from '../host';
import { WasmComponentError } from './errors';
import type { SecretsStore } from './services/secrets';
import { projectComponents } from './sources';
import { SERVED_IMPORTS, type WasmComponentHost } from './wasm-host';

export interface ComponentHandlerDeps {
  host: WasmComponentHost;
  secrets: SecretsStore;
  /** The open project's folder, or null when none is open. */
  projectRoot(): Promise<string | null>;
}

const DEFAULT_TENANT = 'default';
/** A setup question or answer round trip is a quick call; a component stuck longer is broken. */
const SETUP_TIMEOUT_MS = 30_000;

/** The components table of the contract: the palette's list, the inspector's detail, dev secrets. */
export function createComponentHandlers(deps: ComponentHandlerDeps): Handlers<typeof componentMethods> {
  const refresh = async (): Promise<string | null> => {
    const root = await deps.projectRoot();
    deps.host.setLocations(root ? await projectComponents(root) : []);
    return root;
  };

  return {
    async listComponents({ tenant }) {
      const root = await refresh();
      return Promise.all(deps.host.componentIds().map((id) => summarize(deps, id, tenant ?? DEFAULT_TENANT, root)));
    },
    async describeComponent({ id, tenant }) {
      const root = await refresh();
      if (!deps.host.supports(id)) throw new StudioError('not_found', `the project has no WASM component ${id}`);
      return summarize(deps, id, tenant ?? DEFAULT_TENANT, root);
    },
    async setComponentSecret({ key, value, tenant }): Promise<SecretStatus> {
      await deps.secrets.put(tenant ?? DEFAULT_TENANT, key, new TextEncoder().encode(value));
      return { tenant: tenant ?? DEFAULT_TENANT, key, set: true };
    },
    async clearComponentSecret({ key, tenant }): Promise<SecretStatus> {
      await deps.secrets.delete(tenant ?? DEFAULT_TENANT, key);
      return { tenant: tenant ?? DEFAULT_TENANT, key, set: false };
    },
    async componentQaSpec({ component, mode }) {
      await refresh();
      return { output: await invokeSetup(deps.host, component, QA_SPEC_OP, { mode }) };
    },
    async applyComponentAnswers({ component, mode, currentConfig, answers }) {
      await refresh();
      return { output: await invokeSetup(deps.host, component, APPLY_ANSWERS_OP, { mode, current_config: (currentConfig ?? {}) as JsonValue, answers: answers as JsonValue }) };
    },
    async runConfigFlow({ component, flow, answers }): Promise<ConfigFlowResult> {
      const devFlows = await devFlowsOf(deps.host, component, await refresh());
      const entry = isObject(devFlows) ? devFlows[flow] : undefined;
      if (!isObject(entry) || !isObject(entry.graph)) throw new StudioError('not_found', `component ${component}: manifest missing dev_flows.${flow}.graph`);
      try {
        return runConfigFlow(entry.graph, answers, component);
      } catch (error) {
        if (error instanceof ConfigFlowError) throw new StudioError('bad_request', error.message);
        throw error;
      }
    },
  };
}

/** Calls one of a component's setup operations, outside any flow: a failure is the request's. */
async function invokeSetup(host: WasmComponentHost, componentId: string, operation: string, input: JsonValue): Promise<unknown> {
  if (!host.supports(componentId)) throw new StudioError('not_found', `the project has no WASM component ${componentId}`);
  // The host answers a component that cannot load or run with a node error, never by throwing.
  const outcome = await host.invoke(
    standaloneInvocation({
      componentId,
      operation,
      input,
      config: null,
      tenant: DEFAULT_TENANT,
      caller: 'setup',
      traceId: `setup-${randomUUID()}`,
      signal: AbortSignal.timeout(SETUP_TIMEOUT_MS),
    }),
  );
  if (!outcome.ok) throw new StudioError('bad_request', `component ${componentId} failed in ${operation}: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.output;
}

/** A component's `dev_flows`: from the project's manifests (a manifest needs no built WASM), else from what the component describes. */
async function devFlowsOf(host: WasmComponentHost, id: string, root: string | null): Promise<unknown> {
  const entry = root ? (await projectComponentEntries(root)).find((candidate) => candidate.id === id) : undefined;
  if (entry?.devFlows !== undefined) return entry.devFlows;
  return host.supports(id) ? (await host.describe(id))?.devFlows : undefined;
}

async function summarize(deps: ComponentHandlerDeps, id: string, tenant: string, root: string | null): Promise<ComponentSummary> {
  const summary: ComponentSummary = {
    id,
    origin: id,
    abi: null,
    version: null,
    operations: [],
    configSchema: null,
    devFlows: null,
    imports: [],
    secrets: [],
    limits: { wallTimeMs: 0, memoryMb: 0 },
    error: null,
  };
  try {
    const component = await deps.host.prepare(id);
    const setKeys = new Set(await deps.secrets.keys(tenant));
    summary.origin = root ? path.relative(root, component.origin).split(path.sep).join('/') : component.origin;
    summary.abi = component.transpiled.abi;
    summary.version = component.manifest?.version ?? null;
    summary.imports = component.transpiled.imports.map((name) => ({ name, served: SERVED_IMPORTS.includes(name) }));
    summary.secrets = (component.manifest?.capabilities?.host?.secrets?.required ?? []).map((requirement) => ({
      key: requirement.key,
      required: requirement.required ?? true,
      set: setKeys.has(requirement.key),
    }));
    summary.limits = { wallTimeMs: component.limits.wallTimeMs, memoryMb: Math.round(component.limits.memoryLimitBytes / 1048576) };
    if (component.unserved.length > 0) summary.error = `imports interfaces the studio does not provide: ${component.unserved.join(', ')}`;
    const description = await deps.host.describe(id);
    if (description) {
      summary.version = description.version ?? summary.version;
      summary.operations = description.operations.map((op) => ({ name: op.name, inputSchema: op.inputSchema ?? null, outputSchema: op.outputSchema ?? null }));
      summary.configSchema = description.configSchema ?? null;
      summary.devFlows = description.devFlows ?? null;
    }
  } catch (error) {
    if (!(error instanceof WasmComponentError)) throw error;
    summary.error = error.message;
  }
  return summary;
}
