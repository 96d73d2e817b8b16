/**
 * Builds the WASM test components (WAT + WIT sources in test/fixtures/components) into
 * out/test-components, offline. Tests and benchmarks call the same builder on demand; run this by hand
 * with `node --import tsx scripts/build-test-components.ts` to build ahead of time.
 */
import { buildTestComponents } from '../test/fixtures/components/build';

const paths = await buildTestComponents();
for (const [name, file] of Object.entries(paths)) process.stdout.write(`${name.padEnd(16)} ${file}\n`);
