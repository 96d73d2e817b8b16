import { beforeAll, describe, expect, it, vi } from 'vitest';
import { STUDIO_METHODS } from '../../../src/shared/api';
import { ipcChannelForMethod } from '../../../src/shared/ipc-channels';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, result: 'done' }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
  webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
}));

interface Bridge {
  calls: Record<string, (params: unknown) => Promise<unknown>>;
  subscribe(event: string, listener: () => void): () => void;
  pathForFile(file: unknown): string;
}

describe('preload bridge', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    await import('../../../src/preload/index');
    bridge = exposed.greenticStudio as Bridge;
  });

  it('exposes one object and nothing generic', () => {
    expect(Object.keys(exposed)).toEqual(['greenticStudio']);
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'pathForFile', 'subscribe']);
    for (const forbidden of ['send', 'invoke', 'ipcRenderer', 'process', 'env', 'require']) {
      expect(bridge).not.toHaveProperty(forbidden);
      expect(bridge.calls).not.toHaveProperty(forbidden);
    }
  });

  it('has one function per contract method, each bound to its own channel', async () => {
    expect(Object.keys(bridge.calls).sort()).toEqual([...STUDIO_METHODS].sort());
    await bridge.calls.readFlow!({ path: 'flows/main.ygtc' });
    expect(invoke).toHaveBeenCalledWith(ipcChannelForMethod('readFlow'), { path: 'flows/main.ygtc' });
  });

  it('names the path of a dropped file, and nothing more', () => {
    expect(bridge.pathForFile({ name: 'demo.gtpack' })).toBe('/dropped/demo.gtpack');
  });

  it('subscribes only to events of the contract', () => {
    expect(() => bridge.subscribe('reply', () => undefined)).not.toThrow();
    expect(() => bridge.subscribe('anything', () => undefined)).toThrow(/unknown event/);
  });
});
