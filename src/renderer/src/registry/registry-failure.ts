import { StudioError } from '../../../shared/api';

/** What each registry failure is called in the UI. */
const REASON_TITLE: Record<string, string> = {
  unreachable: 'Registry unreachable',
  unauthorized: 'Not authorised',
  not_found: 'Not found',
  digest_mismatch: 'Digest mismatch',
  not_a_component: 'Not a component',
  invalid_reference: 'Invalid reference',
};

/** A failed registry call as a title and the back end's message. */
export function registryFailure(error: unknown, fallbackTitle: string): { title: string; message: string } {
  const failure = StudioError.from(error);
  const reason = (failure.details as { reason?: string } | undefined)?.reason ?? (failure.code === 'bad_request' ? 'invalid_reference' : '');
  return { title: REASON_TITLE[reason] ?? fallbackTitle, message: failure.message };
}
