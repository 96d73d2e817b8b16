/** Bounds on what the reader accepts; upstream's defaults, configurable for tests and big packs. */
export interface PackLimits {
  /** Sum of all entries' uncompressed sizes (upstream: 64 MiB). */
  maxTotalBytes: number;
  /** One entry's uncompressed size (upstream: 16 MiB). */
  maxEntryBytes: number;
  /** Entries in the central directory (our addition). */
  maxEntries: number;
  /** Compression ratio above which an entry is reported as suspicious (our addition, a warning). */
  warnCompressionRatio: number;
}

export const DEFAULT_PACK_LIMITS: PackLimits = {
  maxTotalBytes: 64 * 1024 * 1024,
  maxEntryBytes: 16 * 1024 * 1024,
  maxEntries: 10_000,
  warnCompressionRatio: 100,
};

export function resolveLimits(overrides: Partial<PackLimits> = {}): PackLimits {
  return { ...DEFAULT_PACK_LIMITS, ...overrides };
}
