import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { pullComponent } from '../../runtime/pack/registry/pull-component';
import { bindInResolveSidecar, bindingOf, changeOpKey, parseFlow, setPayloadField, setRouting, type EditResult, type ResolveSource, type RoutingValue } from '../../shared/flow';
import { CliExit, EXIT_FAILED, usageError } from '../command';
import { registryCredentials, registryStep, type RegistryUserOption } from './registry-options';

/** Where a step's component comes from, as add-step and bind-component take it (greentic-flow's flags). */
export interface BindingOptions extends RegistryUserOption {
  component?: string;
  localWasm?: string;
  pin?: boolean;
}

export const RESOLVE_SUFFIX = '.resolve.json';

export function addBindingOptions(command: Command): Command {
  return command
    .option('--component <ref>', 'bind the step to a registry component: oci://host[:port]/repo:tag (or repo://, store://)')
    .option('--local-wasm <file>', 'bind the step to a local .wasm (stored relative to the flow)')
    .option('--pin', 'record the digest: hash the local wasm, or resolve the oci:// tag at the registry')
    .option('--user <name:password>', 'registry credentials (default: GREENTIC_REGISTRY_USERNAME/PASSWORD or GREENTIC_REGISTRY_TOKEN)');
}

export function hasBinding(options: BindingOptions): boolean {
  return options.component !== undefined || options.localWasm !== undefined;
}

/** The sidecar source the options describe; `--pin` pulls an oci:// component (and caches it) to learn its digest. */
export async function bindingSource(flowFile: string, options: BindingOptions): Promise<ResolveSource> {
  if (options.component !== undefined && options.localWasm !== undefined) throw usageError('give either --component or --local-wasm, not both');
  if (options.localWasm !== undefined) {
    const absolute = path.resolve(options.localWasm);
    const bytes = await fs.readFile(absolute).catch(() => {
      throw usageError(`cannot read --local-wasm ${options.localWasm}`);
    });
    const relative = path.relative(path.dirname(path.resolve(flowFile)), absolute).split(path.sep).join('/');
    return { kind: 'local', path: `file://${relative}`, ...(options.pin ? { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` } : {}) };
  }
  const ref = options.component ?? '';
  const scheme = /^(oci|repo|store):\/\//.exec(ref)?.[1] as 'oci' | 'repo' | 'store' | undefined;
  if (!scheme) throw usageError(`--component must be an oci://, repo:// or store:// reference, got '${ref}'`);
  if (scheme !== 'oci') {
    if (options.pin) throw usageError(`--pin resolves oci:// references only; ${scheme}:// needs greentic's distributor`);
    return { kind: scheme, ref };
  }
  if (!options.pin) return { kind: 'oci', ref };
  const pulled = await registryStep(() => pullComponent(ref, { credentials: registryCredentials(options) }));
  return { kind: 'oci', ref, digest: pulled.digest };
}

export function describeSource(source: ResolveSource): string {
  return `${source.ref ?? source.path}${source.digest ? ` (${source.digest})` : ''}`;
}

export async function readSidecar(flowFile: string): Promise<string | null> {
  return fs.readFile(flowFile + RESOLVE_SUFFIX, 'utf8').catch(() => null);
}

export function bindStep(sidecar: string | null, flowFile: string, nodeId: string, source: ResolveSource): string {
  return bindInResolveSidecar(sidecar, path.basename(flowFile), nodeId, source);
}

export interface UpdateStepOptions {
  step: string;
  answers?: string;
  operation?: string;
  routingOut?: boolean;
  routingReply?: boolean;
  routingNext?: string;
  routingMultiTo?: string;
}

/**
 * update-step as greentic-flow does it: the node must have a sidecar binding; answers merge into
 * its payload, `--operation` renames the op key, a routing flag replaces its routing.
 */
export function updateStep(text: string, flowFile: string, sidecar: string | null, options: UpdateStepOptions): EditResult {
  if (!bindingOf(sidecar, options.step)) {
    throw new CliExit(
      EXIT_FAILED,
      `no sidecar mapping for node '${options.step}'; run greentic-studio flow bind-component or re-add the step with --component/--local-wasm`,
    );
  }
  const answers = options.answers === undefined ? {} : parseAnswers(options.answers);
  const routing = routingOf(options);
  let result: EditResult = { ok: true, text };
  const apply = (edit: (current: string) => EditResult) => {
    if (!result.ok) return;
    result = edit(result.text);
  };
  for (const [key, value] of Object.entries(answers)) apply((current) => setPayloadField(parseFlow(current, { sourceName: flowFile }), options.step, [key], value));
  if (options.operation) apply((current) => changeOpKey(parseFlow(current, { sourceName: flowFile }), options.step, options.operation!));
  if (routing !== undefined) apply((current) => setRouting(parseFlow(current, { sourceName: flowFile }), options.step, routing));
  return result;
}

function parseAnswers(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw usageError(`--answers is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usageError('--answers must be a JSON object keyed by field');
  return value as Record<string, unknown>;
}

function routingOf(options: UpdateStepOptions): RoutingValue | undefined {
  const given = [options.routingOut, options.routingReply, options.routingNext, options.routingMultiTo].filter((v) => v !== undefined && v !== false);
  if (given.length > 1) throw usageError('give at most one of --routing-out, --routing-reply, --routing-next, --routing-multi-to');
  if (options.routingOut) return 'out';
  if (options.routingReply) return 'reply';
  if (options.routingNext) return [{ to: options.routingNext }];
  if (options.routingMultiTo) return options.routingMultiTo.split(',').map((to) => ({ to: to.trim() })).filter((r) => r.to);
  return undefined;
}

export function editFailed(result: EditResult): never {
  throw new CliExit(EXIT_FAILED, result.ok ? 'edit failed' : `${result.code}: ${result.message}`);
}
