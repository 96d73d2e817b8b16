import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProjectSettings, projectHttpAllowList } from '../../../src/runtime/components/wasm/project-settings';
import { isAllowed } from '../../../src/runtime/components/wasm/services/http-client';
import { FileSecretsStore, isValidSecretKey } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer, jsonOf } from '../../../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { createWasiImports } from '../../../src/runtime/components/wasm/wasi';
import { tempDir } from './support';

const dirs = tempDir();
afterAll(() => dirs.cleanup());

describe('the HTTP allow-list', () => {
  const allowed = (url: string, allow: string[]) => isAllowed(new URL(url), allow);

  it('matches exact hosts, subdomain wildcards, ports and the catch-all', () => {
    expect(allowed('https://api.example.com/x', ['api.example.com'])).toBe(true);
    expect(allowed('https://evil.com/x', ['api.example.com'])).toBe(false);
    expect(allowed('https://a.b.example.com/', ['*.example.com'])).toBe(true);
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false);
    expect(allowed('https://notexample.com/', ['*.example.com'])).toBe(false);
    expect(allowed('http://127.0.0.1:8080/', ['127.0.0.1:8080'])).toBe(true);
    expect(allowed('http://127.0.0.1:9090/', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('https://example.com/', ['example.com:443'])).toBe(true);
    expect(allowed('https://anything.test/', ['*'])).toBe(true);
    expect(allowed('https://anything.test/', [])).toBe(false);
  });
});

describe("the project's studio settings", () => {
  it('read http.allow, keep fields they do not know, and name the field at fault', () => {
    expect(parseProjectSettings('{"http": {"allow": ["api.example.com", "*.example.org", "localhost:8080", "*"]}, "later": 1}')).toMatchObject({
      http: { allow: ['api.example.com', '*.example.org', 'localhost:8080', '*'] },
    });
    expect(parseProjectSettings('{}').http).toBeUndefined();
    expect(() => parseProjectSettings('{"http": {"allow": ["ok.com", "http://x.com/"]}}')).toThrow(/settings\.json: http\.allow\.1: a host rule is example\.com/);
    expect(() => parseProjectSettings('{"http": {"allow": "x.com"}}')).toThrow(/http\.allow/);
    expect(() => parseProjectSettings('{"http": ')).toThrow(/is not valid JSON/);
  });

  it('follow the open project and edits of its settings file', async () => {
    const a = path.join(dirs.dir, 'project-a');
    const b = path.join(dirs.dir, 'project-b');
    mkdirSync(path.join(a, '.greentic-studio'), { recursive: true });
    mkdirSync(b, { recursive: true });
    const file = path.join(a, '.greentic-studio', 'settings.json');
    writeFileSync(file, '{"http": {"allow": ["one.example"]}}');
    let open: string | null = a;
    const allowList = projectHttpAllowList(async () => open);
    expect(await allowList()).toEqual(['one.example']);
    writeFileSync(file, '{"http": {"allow": ["one.example", "two.example"]}}');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await allowList()).toEqual(['one.example', 'two.example']);
    open = b;
    expect(await allowList()).toEqual([]);
    open = null;
    expect(await allowList()).toEqual([]);
  });
});

describe('component state over the flow state', () => {
  it('keeps JSON text as its value and any other bytes as text, and reads back JSON text', async () => {
    expect(jsonOf(new TextEncoder().encode(' {"a": [1, true]} '))).toEqual({ a: [1, true] });
    expect(jsonOf(new TextEncoder().encode('42'))).toBe(42);
    expect(jsonOf(new TextEncoder().encode('not json'))).toBe('not json');
    expect(jsonOf(Uint8Array.of(0x68, 0x69, 0xff))).toBe('hi\uFFFD');
    expect(jsonOf(new Uint8Array())).toBe('');
    const flowState = new MemoryStateStore();
    const layer = new JsonStateLayer(flowState);
    const scope = { env: 'local', tenant: 'acme' };
    await layer.write(scope, 'k', new TextEncoder().encode('{"n": 1}'));
    expect(await flowState.get(scope, 'k')).toEqual({ found: true, value: { n: 1 } });
    expect(new TextDecoder().decode((await layer.read(scope, 'k'))!)).toBe('{"n":1}');
    expect(await layer.read({ env: 'local', tenant: 'globex' }, 'k')).toBeNull();
    await layer.delete(scope, 'k');
    expect(await layer.read(scope, 'k')).toBeNull();
  });
});

describe('the dev secrets store', () => {
  it('keeps values per tenant in a private file, and lists keys without values', async () => {
    const file = path.join(dirs.dir, 'nested', 'secrets.json');
    const store = new FileSecretsStore(file);
    await store.put('acme', 'api_token', new TextEncoder().encode('s3cret'));
    await store.put('acme', 'other/key', new TextEncoder().encode('x'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = new FileSecretsStore(file);
    expect(new TextDecoder().decode((await reopened.get('acme', 'api_token'))!)).toBe('s3cret');
    expect(await reopened.get('globex', 'api_token')).toBeNull();
    expect(await reopened.keys('acme')).toEqual(['api_token', 'other/key']);
    expect(await reopened.delete('acme', 'api_token')).toBe(true);
    expect(await new FileSecretsStore(file).keys('acme')).toEqual(['other/key']);
  });

  it('seals values with the cipher it is given', async () => {
    const file = path.join(dirs.dir, 'sealed.json');
    const flip = (bytes: Uint8Array) => bytes.map((b) => b ^ 0xff);
    const store = new FileSecretsStore(file, { seal: flip, open: flip });
    await store.put('t', 'k', new TextEncoder().encode('plain'));
    expect(new TextDecoder().decode((await new FileSecretsStore(file).get('t', 'k'))!)).not.toBe('plain');
    expect(new TextDecoder().decode((await new FileSecretsStore(file, { seal: flip, open: flip }).get('t', 'k'))!)).toBe('plain');
  });

  it('follows upstream key rules', async () => {
    expect(['a', 'a.b_c-d/e', 'x/y/z'].every(isValidSecretKey)).toBe(true);
    expect(['', '/abs', 'a/../b', '..', 'sp ace', 'ü'].some(isValidSecretKey)).toBe(false);
    await expect(new FileSecretsStore(path.join(dirs.dir, 'bad.json')).put('t', '../k', new Uint8Array())).rejects.toThrow(/invalid secret key/);
  });
});

describe('WASI for components', () => {
  it('captures stdout and stderr, exposes only granted variables and no preopened folders', async () => {
    const output: Array<[string, string]> = [];
    const wasi = await createWasiImports({ env: { GREETING: 'hi' }, onOutput: (stream, text) => output.push([stream, text]) });
    const stdout = (wasi['wasi:cli/stdout'] as { getStdout(): { checkWrite(): bigint; write(b: Uint8Array): void } }).getStdout();
    stdout.checkWrite();
    stdout.write(new TextEncoder().encode('hello from the guest\n'));
    const stderr = (wasi['wasi:cli/stderr'] as { getStderr(): { checkWrite(): bigint; write(b: Uint8Array): void } }).getStderr();
    stderr.checkWrite();
    stderr.write(new TextEncoder().encode('oops'));
    expect(output).toEqual([
      ['stdout', 'hello from the guest\n'],
      ['stderr', 'oops'],
    ]);
    expect((wasi['wasi:cli/environment'] as { getEnvironment(): unknown }).getEnvironment()).toEqual([['GREETING', 'hi']]);
    expect((wasi['wasi:filesystem/preopens'] as { getDirectories(): unknown[] }).getDirectories()).toEqual([]);
  });
});
