/** A lifetime given in seconds, checked once where a store is configured. */
export function positiveSeconds(what: string, seconds: number): number {
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`${what} must be a positive number of seconds, got ${seconds}`);
  return seconds;
}
