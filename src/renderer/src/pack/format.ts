/** How the pack inspector writes sizes, digests and capability lists. */
import type { JsonValue } from '../../../shared/flow';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The first characters of a hex digest, enough to tell digests apart at a glance. */
export function shortDigest(hex: string | null): string {
  return hex ? `${hex.slice(0, 12)}…` : '—';
}

/**
 * A component's capabilities as short phrases: `wasi: random, clocks, filesystem none`, `host: secrets
 * (1), http client`. Switched-off and empty entries are left out; the full JSON is shown beside.
 */
export function capabilityPhrases(capabilities: JsonValue): string[] {
  if (!isObject(capabilities)) return [];
  return Object.entries(capabilities).flatMap(([group, value]) => {
    if (!isObject(value)) return enabled(value) ? [group] : [];
    const parts = Object.entries(value).flatMap(([name, setting]) => describe(name, setting));
    return parts.length > 0 ? [`${group}: ${parts.join(', ')}`] : [];
  });
}

function describe(name: string, setting: JsonValue): string[] {
  if (!enabled(setting)) return [];
  if (typeof setting === 'string' || typeof setting === 'number') return [`${name} ${setting}`];
  if (!isObject(setting)) return [name];
  const listed = Object.values(setting).find(Array.isArray);
  if (listed && listed.length > 0) return [`${name} (${listed.length})`];
  const on = Object.entries(setting).filter(([, v]) => v === true).map(([k]) => k);
  if (on.length > 0) return [`${name} ${on.join(', ')}`];
  const words = Object.values(setting).filter((v): v is string => typeof v === 'string');
  return [words.length > 0 ? `${name} ${words.join(', ')}` : name];
}

function enabled(value: JsonValue): boolean {
  if (value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
