import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAllowed } from '../../../src/runtime/components/wasm/services/http-client';
import { FileSecretsStore, isValidSecretKey } from '../../../src/runtime/components/wasm/services/secrets';
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
