import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/runtime/pack/registry/client';
import { decodePackLock } from '../../src/runtime/pack/registry/lock';
import { COMPONENT_MANIFEST_LAYER, WASM_COMPONENT_LAYER } from '../../src/runtime/pack/registry/media-types';
import { pushArtifact } from '../../src/runtime/pack/registry/push';
import { DockerRegistry } from '../support/docker-registry';
import { freePort } from '../support/redis-server';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

const SAMPLE_COMPONENT = path.resolve('resources/sample-project/components/text-tools');
const USER = { name: 'designer', password: 'studio-pass-1' };
const CONFIG_SCHEMA = { type: 'object', properties: { mode: { type: 'string', enum: ['loud', 'quiet'] } }, required: ['mode'], additionalProperties: false };

let registry: DockerRegistry;
let studio: ServedStudio;
let browser: Browser;
let cacheDir = '';
const previousCache = process.env.GREENTIC_STUDIO_CACHE_DIR;

beforeAll(async () => {
  registry = await DockerRegistry.start({ user: USER });
  const sample = JSON.parse(readFileSync(path.join(SAMPLE_COMPONENT, 'component.manifest.json'), 'utf8')) as Record<string, unknown>;
  const manifest = { ...sample, id: 'acme.registry-tools', name: 'registry-tools', config_schema: CONFIG_SCHEMA };
  await pushArtifact(
    `oci://${registry.host}/acme/registry-tools:1.0.0`,
    WASM_COMPONENT_LAYER,
    [
      { mediaType: WASM_COMPONENT_LAYER, bytes: new Uint8Array(readFileSync(path.join(SAMPLE_COMPONENT, 'component.wasm'))) },
      { mediaType: COMPONENT_MANIFEST_LAYER, bytes: new TextEncoder().encode(JSON.stringify(manifest)) },
    ],
    { credentials: { username: USER.name, password: USER.password } },
  );
  // The studio server inherits the environment: its component cache is a throw-away folder.
  cacheDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-cache-'));
  process.env.GREENTIC_STUDIO_CACHE_DIR = cacheDir;
  studio = await serveStudio();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  if (previousCache === undefined) delete process.env.GREENTIC_STUDIO_CACHE_DIR;
  else process.env.GREENTIC_STUDIO_CACHE_DIR = previousCache;
  await browser?.close();
  await studio?.stop();
  await registry?.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('components from a registry (web mode, Chromium)', () => {
  it('adds a component by reference, naming what went wrong first, then configures its step from its config_schema', async () => {
    const page = await openPage(browser, studio.url, 'registry add component');
    await canvasNode(page, 'greet').waitFor();
    const palette = page.getByRole('form', { name: 'Add a component from a registry' });
    const reference = palette.getByLabel('Component reference');
    const error = page.getByTestId('registry-error');

    await reference.fill(`oci://127.0.0.1:${await freePort()}/acme/registry-tools:1.0.0`);
    await palette.getByRole('button', { name: 'Add component' }).click();
    await expect.poll(() => error.innerText(), { timeout: 15_000 }).toMatch(/^Registry unreachable: cannot reach registry/);

    const ref = `oci://${registry.host}/acme/registry-tools:1.0.0`;
    await reference.fill(ref);
    await palette.getByRole('button', { name: 'Add component' }).click();
    await expect.poll(() => error.innerText(), { timeout: 15_000 }).toMatch(/^Not authorised: registry .* needs a user name and password/);

    await palette.getByText('Credentials').click();
    await palette.getByLabel('Registry user').fill(USER.name);
    await palette.getByLabel('Registry password or token').fill(USER.password);
    await reference.fill(ref);
    await palette.getByRole('button', { name: 'Add component' }).click();
    await expect.poll(() => page.getByTestId('registry-status').innerText(), { timeout: 30_000 }).toMatch(/^Added acme\.registry-tools, pinned as .*@sha256:[0-9a-f]{64}$/);
    expect(await error.count()).toBe(0);

    // pack.yaml lists the reference and the lock pins it.
    expect(readFileSync(path.join(studio.projectDir, 'pack.yaml'), 'utf8')).toContain(
      `  greentic.components:\n    kind: greentic.components\n    version: v1\n    inline:\n      refs:\n        - ${ref}\n`,
    );
    const lock = decodePackLock(new Uint8Array(readFileSync(path.join(studio.projectDir, 'pack.lock.cbor'))));
    expect(lock.components['acme.registry-tools']?.ref).toBe(ref);

    // The palette offers it; its step gets a configuration form checked against the schema.
    await fitView(page);
    await canvasNode(page, 'greet').click();
    await page.getByRole('button', { name: 'Add registry-tools · stats', exact: true }).click();
    const form = page.getByTestId('config-form');
    await form.waitFor();
    await expect.poll(() => page.getByTestId('config-problems').innerText()).toContain("missing required field 'mode' at $");
    await form.getByLabel('mode').selectOption('loud');
    await expect.poll(() => page.getByTestId('config-problems').count()).toBe(0);
    await expect.poll(() => readFileSync(path.join(studio.projectDir, 'flows/main.ygtc'), 'utf8'), { timeout: 10_000 }).toMatch(/component: acme\.registry-tools\n(.*\n)*?\s+config:\n\s+mode: loud\n/);
    await page.close();
  });

  it('publishes the exported pack to the registry from the export result, byte for byte', async () => {
    const page = await openPage(browser, studio.url, 'registry publish pack');
    await canvasNode(page, 'greet').waitFor();
    const exportButton = page.getByRole('button', { name: 'Export pack…' });
    await expect.poll(() => exportButton.isEnabled()).toBe(true);
    await exportButton.click();
    const dialog = page.getByRole('dialog', { name: /Export pack/ });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(async () => ((await dialog.getByTestId('export-verdict').count()) > 0 ? 'done' : await dialog.innerText()), { timeout: 45_000 }).toBe('done');
    expect(await dialog.getByTestId('export-verdict').textContent()).toContain('Verified');
    const written = (await dialog.getByRole('region', { name: 'Export result' }).locator('.pack-mono').first().textContent()) ?? '';

    const publish = dialog.getByRole('region', { name: 'Publish to a registry' });
    await publish.getByLabel('Registry reference').fill(`oci://${registry.host}/acme/published:1.0.0`);
    await publish.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => dialog.getByTestId('publish-error').innerText(), { timeout: 15_000 }).toMatch(/^Not authorised:/);
    await publish.getByText('Credentials').click();
    await publish.getByLabel('Registry user').fill(USER.name);
    await publish.getByLabel('Registry password or token').fill(USER.password);
    await publish.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => dialog.getByTestId('publish-status').innerText(), { timeout: 15_000 }).toMatch(/^Published as oci:\/\/.*\/acme\/published:1\.0\.0@sha256:[0-9a-f]{64}$/);

    const client = new RegistryClient(registry.host, 'acme/published', { credentials: { username: USER.name, password: USER.password } });
    const manifest = await client.getManifest('1.0.0');
    const layer = (manifest.json as { layers: Array<{ digest: string }> }).layers[0]!;
    expect(Buffer.from(await client.getBlob(layer.digest, 64 * 1024 * 1024)).equals(readFileSync(written))).toBe(true);
    await page.close();
  }, 120_000);
});
