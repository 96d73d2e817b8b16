import { z } from 'zod';
import { method } from './define';

export interface ComponentOperationInfo {
  name: string;
  /** JSON Schema of the operation's input (decoded from describe()'s inline CBOR, or the manifest's). */
  inputSchema: unknown;
  outputSchema: unknown;
}

export interface ComponentImportInfo {
  /** Interface name, unversioned (`greentic:http/http-client`). */
  name: string;
  /** False when the studio cannot serve it: the component will not start. */
  served: boolean;
}

export interface ComponentSecretInfo {
  key: string;
  required: boolean;
  /** Whether the dev secrets store holds a value for the tenant; the value itself never leaves the back end. */
  set: boolean;
}

/** A component of the open project, as the palette and the inspector show it. */
export interface ComponentSummary {
  id: string;
  /** Where it comes from: a path relative to the project, or `pack.gtpack#id`. */
  origin: string;
  /** `0.6`, `0.5` or `0.4`; null when the component could not be loaded. */
  abi: '0.6' | '0.5' | '0.4' | null;
  version: string | null;
  operations: ComponentOperationInfo[];
  configSchema: unknown;
  /** `dev_flows` of its manifest (or of what `get-manifest` returns); null when it has none. */
  devFlows: unknown;
  imports: ComponentImportInfo[];
  secrets: ComponentSecretInfo[];
  limits: { wallTimeMs: number; memoryMb: number };
  /** Why the component cannot run, when it cannot. */
  error: string | null;
}

/** The step a component's config flow emits for a set of answers (greentic-flow `update-step --mode config`). */
export interface ConfigFlowResult {
  /** The `node_id` the flow proposes for a new step. */
  nodeId: string;
  /** The emitted node's operation key (upstream's operation name, e.g. `handle_message`). */
  operation: string;
  payload: unknown;
}

/** What a 0.6 component's setup operation (`qa-spec` or `apply-answers`) answered, as JSON. */
export interface ComponentSetupOutput {
  output: unknown;
}

export interface SecretStatus {
  tenant: string;
  key: string;
  set: boolean;
}

const tenant = z.string().min(1).max(256);
const secretKey = z
  .string()
  .min(1)
  .max(256)
  .regex(/^(?!\/)[A-Za-z0-9._/-]+$/, 'letters, digits, ".", "_", "-" and "/" only, not starting with "/"')
  .refine((key) => !key.split('/').includes('..'), 'no ".." segment');

const qaMode = z.enum(['default', 'setup', 'update', 'remove']);

export const componentMethods = {
  /** Every WASM component of the open project, loaded and described (for the palette). */
  listComponents: method<ComponentSummary[]>()(z.object({ tenant: tenant.optional() }).strict()),
  /** One component, described afresh (for the inspector). */
  describeComponent: method<ComponentSummary>()(z.object({ id: z.string().min(1).max(256), tenant: tenant.optional() }).strict()),
  /** Sets a secret in the dev secrets store of a tenant (default `default`). */
  setComponentSecret: method<SecretStatus>()(
    z.object({ key: secretKey, value: z.string().max(64 * 1024), tenant: tenant.optional() }).strict(),
  ),
  clearComponentSecret: method<SecretStatus>()(z.object({ key: secretKey, tenant: tenant.optional() }).strict()),
  /** Runs one of a component's `dev_flows` that emits a step (a config flow) on answers to its questions. */
  runConfigFlow: method<ConfigFlowResult>()(
    z.object({ component: z.string().min(1).max(256), flow: z.string().min(1).max(256), answers: z.record(z.string().max(256), z.unknown()) }).strict(),
  ),
  /** Asks a 0.6 component for its setup questions (its `qa-spec` operation). */
  componentQaSpec: method<ComponentSetupOutput>()(z.object({ component: z.string().min(1).max(256), mode: qaMode }).strict()),
  /** Has a 0.6 component turn answers to its setup questions into its configuration (its `apply-answers` operation). */
  applyComponentAnswers: method<ComponentSetupOutput>()(
    z.object({ component: z.string().min(1).max(256), mode: qaMode, currentConfig: z.unknown(), answers: z.record(z.string().max(256), z.unknown()) }).strict(),
  ),
};
