import { describe, expect, it, vi } from 'vitest';
import { resolveAppRequest } from '../../../src/main/app-protocol';
import { denyAllPermissions, hardenWebContents, isAppUrl, secureWindowOptions } from '../../../src/main/security';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp';

vi.mock('electron', () => ({ protocol: {}, net: {} }));

type Listener = (event: { preventDefault(): void }, url: string) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
    on: (name: string, listener: Listener) => {
      listeners.set(name, listener);
      return contents;
    },
  };
  const navigate = (name: string, url: string) => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)?.(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, navigate, openWindow: (url: string) => openHandler?.({ url }) };
}

describe('Electron security baseline', () => {
  it('creates windows isolated, sandboxed and without Node', () => {
    const { webPreferences } = secureWindowOptions('/app/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('denies every new window and every navigation away from the app origin', () => {
    const { contents, navigate, openWindow } = fakeWebContents();
    hardenWebContents(contents as never);
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(openWindow('app://studio/other.html')).toEqual({ action: 'deny' });
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'app://elsewhere/index.html')).toBe(true);
    expect(navigate('will-navigate', 'app://studio/index.html')).toBe(false);
    expect(navigate('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate('will-attach-webview', 'app://studio/')).toBe(true);
  });

  it('refuses every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    denyAllPermissions(session as never);
    const callback = vi.fn();
    (handlers.request as (...a: unknown[]) => void)({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect((handlers.check as (...a: unknown[]) => boolean)({}, 'notifications')).toBe(false);
    expect((handlers.device as (...a: unknown[]) => boolean)({})).toBe(false);
  });

  it('recognises only app://studio as our origin', () => {
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('app://studio.evil/index.html')).toBe(false);
    expect(isAppUrl('https://studio/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('serves only files inside the renderer folder from the app scheme', () => {
    const root = '/opt/studio/renderer';
    expect(resolveAppRequest('app://studio/', root)).toBe('/opt/studio/renderer/index.html');
    expect(resolveAppRequest('app://studio/assets/index.js', root)).toBe('/opt/studio/renderer/assets/index.js');
    expect(resolveAppRequest('app://studio/..%2f..%2fetc/passwd', root)).toBeNull();
    expect(resolveAppRequest('app://other/index.html', root)).toBeNull();
    expect(resolveAppRequest('file:///etc/passwd', root)).toBeNull();
  });

  it('keeps a strict content security policy', () => {
    const directives = CONTENT_SECURITY_POLICY.split('; ');
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
  });
});
