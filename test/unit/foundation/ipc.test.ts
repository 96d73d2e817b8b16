import { describe, expect, it, vi } from 'vitest';
import { forwardEvents, registerIpcTransport } from '../../../src/main/ipc';
import { EventBus } from '../../../src/runtime/events';
import { STUDIO_METHODS, type StudioHandlers } from '../../../src/shared/api';
import { ipcChannelForMethod, IPC_EVENT_CHANNEL } from '../../../src/shared/ipc-channels';

vi.mock('electron', () => ({}));

type Handler = (event: unknown, params: unknown) => Promise<unknown>;

function registered(handlers: Partial<StudioHandlers>) {
  const channels = new Map<string, Handler>();
  registerIpcTransport({ handle: (channel: string, handler: Handler) => channels.set(channel, handler) } as never, handlers as StudioHandlers);
  return channels;
}

const studioFrame = { url: 'app://studio/index.html', parent: null };

describe('Electron IPC transport', () => {
  it('registers exactly one channel per contract method', () => {
    const channels = registered({});
    expect([...channels.keys()].sort()).toEqual(STUDIO_METHODS.map(ipcChannelForMethod).sort());
  });

  it('serves a call from the studio window with validated params', async () => {
    const getProject = vi.fn(async () => null);
    const channels = registered({ getProject });
    const outcome = await channels.get(ipcChannelForMethod('getProject'))!({ senderFrame: studioFrame }, {});
    expect(outcome).toEqual({ ok: true, result: null });
    expect(getProject).toHaveBeenCalledOnce();
  });

  it.each([
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a sub-frame of our page', { url: 'app://studio/index.html', parent: studioFrame }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['a destroyed frame', null],
  ])('refuses a call from %s', async (_label, senderFrame) => {
    const readFlow = vi.fn();
    const channels = registered({ readFlow });
    const outcome = await channels.get(ipcChannelForMethod('readFlow'))!({ senderFrame }, { path: 'flows/main.ygtc' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readFlow).not.toHaveBeenCalled();
  });

  it('rejects params that do not match the contract before the handler runs', async () => {
    const readFlow = vi.fn();
    const channels = registered({ readFlow });
    const outcome = await channels.get(ipcChannelForMethod('readFlow'))!({ senderFrame: studioFrame }, { path: 42, extra: true });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(readFlow).not.toHaveBeenCalled();
  });

  it('forwards events only to pages of our origin', () => {
    const events = new EventBus();
    const ours = { isDestroyed: () => false, getURL: () => 'app://studio/index.html', send: vi.fn() };
    const foreign = { isDestroyed: () => false, getURL: () => 'https://evil.example/', send: vi.fn() };
    forwardEvents(events, () => [ours, foreign] as never);
    events.emit('progress', { task: 'build', done: 1, total: 2 });
    expect(ours.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, 'progress', { task: 'build', done: 1, total: 2 });
    expect(foreign.send).not.toHaveBeenCalled();
  });
});
