import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MAX_DESCRIBE_CBOR_BYTES } from '../../components/wasm/node-adapter';
import { DEFAULT_HTTP_POLICY } from '../../components/wasm/services/http-client';
import { MemorySecretsStore } from '../../components/wasm/services/secrets';
import { JsonStateLayer } from '../../components/wasm/services/state';
import { fileComponent } from '../../components/wasm/sources';
import { WasmComponentHost } from '../../components/wasm/wasm-host';
import { MemoryStateStore } from '../../sessions/state-store';
import { describeCacheContract, describeContract, DescribeError, type DescribeContract } from './component-describe';

/** Runs a component's `component-descriptor.describe()` for `pack resolve`. */
export interface ComponentDescriber {
  /** The CBOR it returned; null when the component exports no descriptor. Throws when it cannot run. */
  describeCbor(wasmPath: string, componentId: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

/**
 * A describer on the studio's WASM runner, started on first use. Like greentic-pack's describe host it
 * grants nothing: no secrets, no outgoing HTTP, a state store that starts empty.
 */
export function wasmDescriber(): ComponentDescriber {
  let host: WasmComponentHost | null = null;
  return {
    async describeCbor(wasmPath, componentId) {
      host ??= new WasmComponentHost({
        http: DEFAULT_HTTP_POLICY,
        secrets: new MemorySecretsStore(),
        state: new JsonStateLayer(new MemoryStateStore()),
        poolSize: 1,
      });
      host.addLocation(fileComponent(wasmPath, componentId));
      return host.describeCbor(componentId);
    },
    async close() {
      await host?.close();
    },
  };
}

export type ContractOutcome = { contract: DescribeContract } | { unavailable: string };

/**
 * A component's contract as greentic-pack's resolve finds it: from what its describe() returns, else
 * from the `<wasm>.describe.cbor` cache beside the artifact; `unavailable`, with why, when there is
 * neither. Data that is there but is not this component's ComponentDescribe is a DescribeError.
 */
export async function componentContract(describer: ComponentDescriber, wasmPath: string, componentId: string): Promise<ContractOutcome> {
  let described: Uint8Array | null = null;
  let reason = 'it exports no component-descriptor interface';
  try {
    described = await describer.describeCbor(wasmPath, componentId);
  } catch (error) {
    // One line: it ends up in a warning, and jco's messages run over several.
    reason = (error as Error).message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
  }
  if (described) {
    const bytes = described;
    return { contract: checked(() => describeContract(bytes), `describe() of ${componentId}`, componentId) };
  }
  const cacheFile = `${wasmPath}.describe.cbor`;
  const cache = await readCache(cacheFile);
  if (cache) return { contract: checked(() => describeCacheContract(cache), path.basename(cacheFile), componentId) };
  return { unavailable: reason };
}

function checked(read: () => DescribeContract, source: string, componentId: string): DescribeContract {
  let contract: DescribeContract;
  try {
    contract = read();
  } catch (error) {
    if (error instanceof DescribeError) throw new DescribeError(`component ${componentId}: ${source} is not a ComponentDescribe: ${error.message}`);
    throw error;
  }
  if (contract.id !== componentId) throw new DescribeError(`component ${componentId} describe id mismatch: ${contract.id}`);
  return contract;
}

async function readCache(file: string): Promise<Uint8Array | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) return null;
  if (stat.size > MAX_DESCRIBE_CBOR_BYTES) throw new DescribeError(`${file} is ${stat.size} bytes, above the ${MAX_DESCRIBE_CBOR_BYTES}-byte limit of describe data`);
  return new Uint8Array(await fs.readFile(file));
}
