/**
 * When a pack is signed: `SOURCE_DATE_EPOCH` when it is set (reproducible-builds.org: whole seconds
 * since 1970-01-01 UTC), else now. Both the certificate's validity and the envelope's
 * `signed_at_utc` come from it, so two signed builds of one folder with it set are byte-identical on
 * any machine and in any time zone.
 */
import { PackError } from '../errors';

export const SOURCE_DATE_EPOCH = 'SOURCE_DATE_EPOCH';

export function signingTime(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Date {
  const value = env[SOURCE_DATE_EPOCH];
  if (value === undefined || value === '') return now();
  const seconds = /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  const date = new Date(seconds * 1000);
  if (!Number.isSafeInteger(seconds) || Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9989) {
    throw new PackError('config_invalid', `${SOURCE_DATE_EPOCH} must be whole seconds since 1970-01-01 UTC, not "${value}"`);
  }
  return date;
}
