/**
 * Builds the WASM components of the sample project from components/ (part of `npm run build`):
 * `node --import tsx scripts/build-sample-components.ts`.
 */
import { buildSampleComponents } from './wasm/sample-components';

for (const component of await buildSampleComponents()) {
  process.stdout.write(`${component.id.padEnd(28)} ${component.written ? 'built' : 'up to date'}  ${component.wasm}\n`);
}
