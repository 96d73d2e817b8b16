import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The upstream conformance corpus: `$GREENTIC_CONFORMANCE_DIR`, else `../shared/conformance` beside
 * the checkout. It is never copied into the repository.
 */
export const conformanceDir: string | null = (() => {
  const candidates = [process.env.GREENTIC_CONFORMANCE_DIR, path.resolve(repoRoot, '../shared/conformance')];
  for (const candidate of candidates) {
    if (candidate && existsSync(path.join(candidate, 'expectations.json'))) return candidate;
  }
  if (process.env.CI) {
    throw new Error('The conformance corpus is required in CI: set GREENTIC_CONFORMANCE_DIR or place shared/ beside the checkout.');
  }
  process.stderr.write('conformance corpus not found: conformance tests are SKIPPED\n');
  return null;
})();

/** `describe` for suites that need the corpus: skipped (and said so) only outside CI. */
export const hasConformance = conformanceDir !== null;

export function conformancePath(relative: string): string {
  if (!conformanceDir) throw new Error('conformance corpus not available');
  return path.join(conformanceDir, relative);
}

export interface FlowExpectation {
  file: string;
  valid: boolean;
  stage?: 'load' | 'compile' | 'lint';
  error_kind?: string;
  message_contains?: string;
}

export interface Expectations {
  flows: FlowExpectation[];
  packs: Array<Record<string, unknown> & { file: string }>;
  [key: string]: unknown;
}

export function loadExpectations(): Expectations {
  return JSON.parse(readFileSync(conformancePath('expectations.json'), 'utf8')) as Expectations;
}

export { repoRoot };
