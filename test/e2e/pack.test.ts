import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { runCliCaptured } from '../support/cli';
import { conformancePath, hasConformance } from '../support/conformance';
import { rawZip } from '../unit/pack/support/raw-zip';
import { openPage } from './support/browser';
import { canvasNodeIds } from './support/editor';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

async function openPackWorkspace(page: Page, archive: string): Promise<void> {
  await page.getByRole('button', { name: 'Pack', exact: true }).click();
  await page.getByLabel('Pack file path').fill(archive);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

/** Drops a file carrying `bytes` onto the window, as a user dragging it from the file manager would. */
async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(
    ({ name: fileName, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], fileName, { type: 'application/zip' }));
      const target = document.querySelector('.workspace-full') ?? document.body;
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    },
    { name, data: [...bytes] },
  );
}

describe('exporting the project as a signed pack (web mode, Chromium)', () => {
  it('bumps the version, creates a key, builds with progress, and the written file verifies', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack export');
    const exportButton = page.getByRole('button', { name: 'Export pack…' });
    await expect.poll(() => exportButton.isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('flow-node').first().waitFor();
    await page.keyboard.press('ControlOrMeta+E');
    const dialog = page.getByRole('dialog', { name: /Export pack/ });
    await dialog.waitFor();
    await dialog.getByText('Keep 0.1.0').waitFor();

    await dialog.getByLabel('Minor 0.2.0').check();
    await dialog.getByRole('button', { name: 'New key…' }).click();
    await dialog.getByLabel('New key name').fill('Release key');
    await dialog.getByLabel('New key passphrase', { exact: true }).fill('short');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('at least 8 characters');
    await dialog.getByLabel('New key passphrase', { exact: true }).fill('a long release passphrase');
    await dialog.getByLabel('Confirm new key passphrase').fill('a long release passphrase!');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('The two passphrases differ');
    expect(await dialog.getByLabel('Signing key', { exact: true }).evaluate((select) => (select as HTMLSelectElement).options.length)).toBe(1);
    await dialog.getByLabel('Confirm new key passphrase').fill('a long release passphrase');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => dialog.getByLabel('Signing key', { exact: true }).evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), { timeout: 30_000 }).toMatch(/^Release key/);

    const out = path.join(session.studio.projectDir, 'dist', 'studio.sample-0.2.0.gtpack');
    expect(await dialog.getByLabel('Output file').inputValue()).toBe(out);

    // Tab stays inside the dialog.
    for (let i = 0; i < 25; i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);

    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('export-verdict').textContent(), { timeout: 30_000 }).toContain('Verified: every file matches the SBOM and the signatures are valid');
    expect(await dialog.getByRole('list', { name: 'Signatures of the written pack' }).textContent()).toMatch(/embedded: valid, trusted signer.*envelope: valid, trusted signer/);

    expect(readFileSync(path.join(session.studio.projectDir, 'pack.yaml'), 'utf8')).toContain('\nversion: 0.2.0\n');
    expect(existsSync(out)).toBe(true);
    // Verified again outside the studio: by the CLI, against the certificate the pack carries.
    const verify = await runCliCaptured('pack', 'verify', out, '--any-signer', '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, intact: true });
    const inspect = JSON.parse((await runCliCaptured('pack', 'inspect', out, '--json')).stdout);
    expect(inspect).toMatchObject({ pack_id: 'studio.sample', version: '0.2.0', flows: expect.arrayContaining(['main']) });

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: '?', exact: true }).click();
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent()).toContain('Ctrl/Cmd+EExport the project as a signed pack');
    await page.close();
  });

  it('shows a build error in the dialog and puts the version it had bumped back', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack export build error');
    await page.getByTestId('flow-node').first().waitFor();
    const packYaml = path.join(session.studio.projectDir, 'pack.yaml');
    const original = readFileSync(packYaml, 'utf8');
    const version = /\nversion: (\S+)\n/.exec(original)?.[1];
    const config = parseYaml(original) as { components?: unknown[] };
    const missing = { id: 'missing.component', version: '1.0.0', world: 'greentic:component/component@0.6.0', wasm: 'components/missing.wasm' };
    writeFileSync(packYaml, stringifyYaml({ ...config, components: [...(config.components ?? []), missing] }));
    try {
      await page.getByRole('button', { name: 'Export pack…' }).click();
      const dialog = page.getByRole('dialog', { name: /Export pack/ });
      await dialog.getByLabel(/^Patch /).check();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('missing.component');
      expect(await dialog.getByRole('alert').textContent()).toContain(`pack.yaml keeps version ${version}`);
      expect(readFileSync(packYaml, 'utf8')).toContain(`\nversion: ${version}\n`);
    } finally {
      writeFileSync(packYaml, original);
    }
    await page.close();
  });

  it('shows a broken pack.yaml in the dialog with its message', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack export broken yaml');
    await page.getByTestId('flow-node').first().waitFor();
    const packYaml = path.join(session.studio.projectDir, 'pack.yaml');
    const original = readFileSync(packYaml, 'utf8');
    writeFileSync(packYaml, original.replace('kind: application', 'kind: [unclosed'));
    try {
      await page.getByRole('button', { name: 'Export pack…' }).click();
      const dialog = page.getByRole('dialog', { name: /Export pack/ });
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('pack.yaml is not valid YAML');
    } finally {
      writeFileSync(packYaml, original);
    }
    await page.close();
  });
});

describe.runIf(hasConformance)('the pack inspector (web mode, Chromium)', () => {
  it('opens the deflated corpus pack: summary, flows drawn on the canvas, its two SBOM problems, card previews', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack inspector deflated');
    await openPackWorkspace(page, conformancePath('packs/archives/deflated-quickstart.gtpack'));
    const summary = page.getByRole('region', { name: 'Pack summary' });
    await summary.waitFor();
    const facts = await summary.textContent();
    for (const fact of ['quickstart', '0.1.0', 'application', 'Greentic', 'canonical']) expect(facts).toContain(fact);
    expect(await page.getByTestId('sbom-status').textContent()).toBe('2 problems');

    const canvas = page.getByTestId('pack-flow-canvas');
    await canvas.waitFor();
    await expect.poll(() => canvasNodeIds(page)).toEqual(['show_about_card', 'show_welcome_card']);
    expect(await canvas.textContent()).toContain('ai.greentic.component-adaptive-card · run');
    // The minimap draws both steps, as boxes with a size.
    const minimapNodes = canvas.locator('.react-flow__minimap-node');
    await expect.poll(() => minimapNodes.count()).toBe(2);
    for (const box of await minimapNodes.all()) expect(Number(await box.getAttribute('width'))).toBeGreaterThan(0);

    await page.getByRole('tab', { name: /SBOM/ }).click();
    const problems = page.getByRole('list', { name: 'SBOM problems' }).getByRole('listitem');
    expect(await problems.allTextContents()).toEqual([expect.stringContaining('hash mismatch for manifest.cbor'), expect.stringContaining('hash mismatch for pack.lock.cbor')]);
    expect(await page.locator('tr[data-sbom-status="hash_mismatch"]').count()).toBe(2);
    await page.getByLabel('Only files with problems').check();
    expect(await page.getByRole('table', { name: 'SBOM' }).locator('tbody tr').count()).toBe(2);

    await page.getByRole('tab', { name: 'Assets' }).click();
    await page.getByRole('button', { name: /^assets\/cards\/about_card\.json/ }).click();
    await page.getByRole('region', { name: 'Preview of assets/cards/about_card.json' }).getByTestId('adaptive-card').waitFor();
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(await page.getByRole('region', { name: 'Preview of assets/cards/about_card.json' }).locator('pre.json').textContent()).toContain('"type": "AdaptiveCard"');
    await page.close();
  });

  it('lists components with world, operations, capabilities and digest; shows the legacy pack\'s dev certificate', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack inspector components');
    await openPackWorkspace(page, conformancePath('packs/archives/canonical-incident-demo.gtpack'));
    await page.getByRole('tab', { name: 'Components (1)' }).click();
    const row = page.getByRole('table', { name: 'Components' }).locator('tbody tr');
    const text = await row.textContent();
    for (const fact of ['ai.greentic.component-betterstack-incident.create-incident', 'greentic:component/component@0.6.0', 'create-incident', 'host: secrets (1), http client', '533 KiB', '639c35503105']) {
      expect(text).toContain(fact);
    }

    await page.getByLabel('Pack file path').fill(conformancePath('packs/archives/legacy-signed-demo.gtpack'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Pack summary' }).textContent(), { timeout: 30_000 }).toContain('ai.greentic.runner.example');
    await page.getByRole('tab', { name: /Signatures/ }).click();
    expect(await page.getByTestId('signature-status').textContent()).toBe('valid, dev certificate');
    expect(await page.getByRole('listitem', { name: 'envelope signature' }).textContent()).toContain('60838b5c59b6cd01be8ec59dfeb90138591af25d5a7f5245e4c3b3b31fd12484');
    await page.getByRole('button', { name: 'Trust this key' }).waitFor();

    // Both packs are now among the recent ones, newest first.
    const recent = await page.getByLabel('Recent packs').locator('option').allTextContents();
    expect(recent.slice(1, 3)).toEqual([expect.stringContaining('ai.greentic.runner.example 0.1.0'), expect.stringContaining('incident-demo.pack 0.1.0')]);
    await page.close();
  });

  it('a hostile archive dropped onto the window shows its typed error', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack inspector hostile drop');
    await page.getByRole('button', { name: 'Pack', exact: true }).click();
    await dropFile(page, 'zip-slip.gtpack', rawZip([{ name: '../../escape.txt', data: new TextEncoder().encode('owned') }]));
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('zip-slip.gtpack cannot be opened');
    expect(await alert.textContent()).toContain('archive entry contains unsafe path');
    expect(await alert.locator('code').first().textContent()).toBe('unsafe_path');

    // A good pack dropped next opens through the same upload path.
    await dropFile(page, 'incident.gtpack', readFileSync(conformancePath('packs/archives/canonical-incident-demo.gtpack')));
    await expect.poll(() => page.getByRole('region', { name: 'Pack summary' }).textContent()).toContain('incident-demo.pack');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('opens a pack as a project: the flows land in a new folder and open in the flow editor', async () => {
    const page = await openPage(session.browser, session.studio.url, 'pack open as project');
    await openPackWorkspace(page, conformancePath('packs/archives/deflated-quickstart.gtpack'));
    await page.getByRole('region', { name: 'Pack summary' }).waitFor();
    await page.getByRole('button', { name: 'Open as project…' }).click();
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'studio-e2e-unpack-')), 'quickstart');
    const dialog = page.getByRole('dialog', { name: /Open quickstart as a project/ });
    await dialog.getByLabel('Project folder').fill(folder);
    await dialog.getByRole('button', { name: 'Unpack and open' }).click();

    await page.getByRole('tab', { name: /main\.ygtc/ }).waitFor();
    await expect.poll(() => canvasNodeIds(page)).toEqual(['show_about_card', 'show_welcome_card']);
    expect(await page.getByRole('status', { name: 'Status' }).textContent()).toContain(folder);
    expect(readFileSync(path.join(folder, 'pack.yaml'), 'utf8')).toContain('pack_id: quickstart');
    expect(existsSync(path.join(folder, 'assets/cards/about_card.json'))).toBe(true);
    await page.close();
  });
});
