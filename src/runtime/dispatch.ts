import { STUDIO_METHODS, StudioError, studioApi, type StudioHandlers, type StudioMethod } from '../shared/api';
import type { CallOutcome } from '../shared/api/define';

export type DispatchResult = CallOutcome;

const knownMethods = new Set<string>(STUDIO_METHODS);

export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && knownMethods.has(name);
}

/**
 * The one entry point both transports call: checks the method name and its params against the
 * contract, runs the handler, and turns every failure into a serialisable StudioError.
 */
export async function dispatch(handlers: StudioHandlers, method: unknown, params: unknown): Promise<DispatchResult> {
  try {
    if (!isStudioMethod(method)) throw new StudioError('bad_request', `unknown method ${JSON.stringify(method)}`);
    const parsed = studioApi[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`);
      throw new StudioError('bad_request', `invalid params for ${method}: ${problems.join('; ')}`, problems);
    }
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler.call(handlers, parsed.data) };
  } catch (error) {
    return { ok: false, error: StudioError.from(error).toJSON() };
  }
}
