import type { TenantCtx } from '../../host';
import type { ComponentGrants } from '../grants';
import type { HostCall, HostCallKind, HostCallTable, HostReply, HttpRequest } from '../host-calls';
import { sendHttp, type HttpPolicy } from './http-client';
import { isValidSecretKey, type SecretsStore } from './secrets';
import { MAX_STATE_KEY_LENGTH, MAX_STATE_VALUE_BYTES, type ComponentStateStore, type StateScope } from './state';

/** Who is calling: fixed by the runner when the invocation starts. */
export interface CallScope {
  ctx: TenantCtx;
  componentId: string;
  grants: ComponentGrants;
}

/**
 * Sees every HTTP request a component makes, as it is sent: telemetry wraps it in a client span and
 * adds the trace context headers.
 */
export type OutgoingHttpHook = (
  request: HttpRequest,
  scope: CallScope,
  send: (request: HttpRequest) => Promise<HostReply<'http.send'>>,
) => Promise<HostReply<'http.send'>>;

export interface HostServiceDeps {
  http: HttpPolicy;
  /** Asked on every request, so telemetry switched on or off applies to the next one. */
  outgoingHttp?: () => OutgoingHttpHook | null;
  /**
   * Hosts the open project allows on top of `http.allow` (its studio settings), asked on every request
   * so an edit of the settings applies to the next one.
   */
  projectHttpAllow?: () => Promise<readonly string[]>;
  secrets: SecretsStore;
  state: ComponentStateStore;
}

type Handler<K extends HostCallKind> = (args: HostCallTable[K]['args'], scope: CallScope) => Promise<HostReply<K>>;

/** Answers components' host calls on the runner's thread, within each component's grants. */
export class HostServices {
  private readonly handlers: { [K in HostCallKind]: Handler<K> };

  constructor(private readonly deps: HostServiceDeps) {
    this.handlers = {
      'http.send': (args, scope) => this.httpSend(args, scope),
      'secrets.get': (args, scope) => this.secretsGet(args, scope),
      'secrets.put': (args, scope) => this.secretsPut(args, scope),
      'state.read': (args, scope) => this.stateRead(args, scope),
      'state.write': (args, scope) => this.stateWrite(args, scope),
      'state.delete': (args, scope) => this.stateDelete(args, scope),
    };
  }

  async handle(call: HostCall, scope: CallScope): Promise<HostReply> {
    const handler = this.handlers[call.kind] as Handler<HostCallKind> | undefined;
    if (!handler) return { ok: false, error: { code: 'unsupported', message: `unknown host call ${String(call.kind)}` } } as HostReply;
    try {
      return await handler(call.args, scope);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return call.kind.startsWith('secrets.') ? { ok: false, error: 'internal' } : { ok: false, error: { code: 'internal', message } };
    }
  }

  private async httpSend(args: HostCallTable['http.send']['args'], scope: CallScope): Promise<HostReply<'http.send'>> {
    if (!scope.grants.http) return denied(`component ${scope.componentId} does not declare the host:http capability`);
    let projectAllow: readonly string[];
    try {
      projectAllow = (await this.deps.projectHttpAllow?.()) ?? [];
    } catch (error) {
      return denied(`HTTP requests are refused until the project's settings are fixed: ${(error as Error).message}`);
    }
    const policy = projectAllow.length > 0 ? { ...this.deps.http, allow: [...this.deps.http.allow, ...projectAllow] } : this.deps.http;
    const send = (request: HttpRequest) => sendHttp(request, args.options, policy);
    const hook = this.deps.outgoingHttp?.();
    return hook ? hook(args.request, scope, send) : send(args.request);
  }

  private async secretsGet({ key }: { key: string }, scope: CallScope): Promise<HostReply<'secrets.get'>> {
    const refusal = secretRefusal(key, scope);
    if (refusal) return { ok: false, error: refusal };
    const value = await this.deps.secrets.get(scope.ctx.tenant, key);
    return value ? { ok: true, value } : { ok: false, error: 'not-found' };
  }

  private async secretsPut({ key, value }: { key: string; value: Uint8Array }, scope: CallScope): Promise<HostReply<'secrets.put'>> {
    const refusal = secretRefusal(key, scope);
    if (refusal) return { ok: false, error: refusal };
    await this.deps.secrets.put(scope.ctx.tenant, key, value);
    return { ok: true, value: null };
  }

  private async stateRead({ key }: { key: string }, scope: CallScope): Promise<HostReply<'state.read'>> {
    const refusal = stateRefusal(key, scope, 'read');
    if (refusal) return refusal;
    const value = await this.deps.state.read(stateScope(scope), key);
    return value ? { ok: true, value } : { ok: false, error: { code: 'not_found', message: `no state under ${JSON.stringify(key)}` } };
  }

  private async stateWrite({ key, value }: { key: string; value: Uint8Array }, scope: CallScope): Promise<HostReply<'state.write'>> {
    const refusal = stateRefusal(key, scope, 'write');
    if (refusal) return refusal;
    if (value.length > MAX_STATE_VALUE_BYTES) {
      return { ok: false, error: { code: 'too_large', message: `state values are limited to ${MAX_STATE_VALUE_BYTES} bytes` } };
    }
    await this.deps.state.write(stateScope(scope), key, value);
    return { ok: true, value: null };
  }

  private async stateDelete({ key }: { key: string }, scope: CallScope): Promise<HostReply<'state.delete'>> {
    const refusal = stateRefusal(key, scope, 'write');
    if (refusal) return refusal;
    await this.deps.state.delete(stateScope(scope), key);
    return { ok: true, value: null };
  }
}

function secretRefusal(key: string, scope: CallScope): 'invalid-key' | 'denied' | null {
  if (!isValidSecretKey(key)) return 'invalid-key';
  if (scope.grants.secrets !== null && !scope.grants.secrets.includes(key)) return 'denied';
  return null;
}

function stateRefusal(key: string, scope: CallScope, access: 'read' | 'write'): { ok: false; error: { code: string; message: string } } | null {
  if (key.length === 0 || key.length > MAX_STATE_KEY_LENGTH) {
    return { ok: false, error: { code: 'invalid_key', message: `state keys are 1 to ${MAX_STATE_KEY_LENGTH} characters` } };
  }
  const granted = access === 'read' ? scope.grants.stateRead : scope.grants.stateWrite;
  if (!granted) return { ok: false, error: { code: 'denied', message: `component ${scope.componentId} does not declare host:state:${access}` } };
  return null;
}

/** The flow state's scope (env, tenant): a component shares it with the `state.get` nodes of its runner. */
function stateScope(scope: CallScope): StateScope {
  return { env: scope.ctx.env, tenant: scope.ctx.tenant };
}

function denied(message: string): HostReply<'http.send'> {
  return { ok: false, error: { code: 'denied', message } };
}
