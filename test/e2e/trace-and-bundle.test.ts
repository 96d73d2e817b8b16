import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { traceHash } from '../../src/shared/trace/trace-hash';
import { cleanBundle } from '../support/bundle-fixture';
import { upstreamStep, upstreamTrace } from '../support/trace-fixture';
import { openPage } from './support/browser';
import { canvasNode } from './support/editor';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

describe('a trace.json in the run inspector', () => {
  it("draws an upstream trace on the canvas: the path it took, the failing node, each step's output", async () => {
    const step = upstreamStep;
    // Shaped as greentic-runner writes it (`--trace-out`, inputs captured), plus the studio's output_json.
    const trace = upstreamTrace('studio.sample.gtpack', { id: 'main', version: '0.1.0' }, [
        step('greet', 'templating.handlebars', { output_hash: traceHash({ text: 'Hello!' }), output_json: { text: 'Hello!' }, invocation_json: { component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'Hello!' } } }),
        step('say_hello', 'emit.response', { output_hash: traceHash(null) }),
        step('wait_for_name', 'session.wait', { error: { code: 'node_error', message: 'session store unavailable', details: null } }),
    ]);
    const file = path.join(session.studio.projectDir, 'trace.json');
    writeFileSync(file, JSON.stringify(trace, null, 2));

    const page = await openPage(session.browser, session.studio.url, 'open upstream trace');
    await canvasNode(page, 'greet').waitFor();
    await page.getByTestId('trace-file-input').setInputFiles(file);
    const view = page.getByTestId('trace-file');
    await view.waitFor();
    expect(await view.locator('.turn-header').textContent()).toContain('trace.json · flow main 0.1.0 · 3 steps');
    await expect.poll(() => page.getByTestId('trace-file-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-node-id')))).toEqual(['greet', 'say_hello', 'wait_for_name']);

    await expect.poll(() => canvasNode(page, 'greet').getAttribute('class')).toContain('visited');
    expect(await canvasNode(page, 'say_hello').getAttribute('class')).toContain('visited');
    expect(await canvasNode(page, 'wait_for_name').getAttribute('class')).toContain('failed');
    expect(await canvasNode(page, 'welcome').getAttribute('class')).not.toMatch(/visited|failed/);

    const greet = page.locator('[data-testid="trace-file-step"][data-node-id="greet"]');
    await greet.locator('summary').click();
    expect(await greet.locator('pre.json').nth(1).textContent()).toContain('Hello!');
    const failing = page.locator('[data-testid="trace-file-step"][data-node-id="wait_for_name"]');
    await failing.locator('summary').click();
    expect(await failing.locator('.trace-error').textContent()).toBe('node_error: session store unavailable');

    // A trace upstream's runner wrote, of a flow this project does not have: listed, not drawn.
    await page.getByRole('button', { name: 'Close trace' }).click();
    await expect.poll(() => canvasNode(page, 'greet').getAttribute('class')).not.toContain('visited');
    await page.getByTestId('trace-file-input').setInputFiles(fileURLToPath(new URL('../fixtures/upstream-traces/missing-component.trace.json', import.meta.url)));
    await expect.poll(() => view.locator('.turn-header').textContent()).toContain('missing-component.trace.json · flow demo.flow 0.1.0 · 1 step');
    expect(await page.getByTestId('trace-flow-missing').textContent()).toContain('no flow with id demo.flow');
    const upstreamFailing = page.locator('[data-testid="trace-file-step"][data-node-id="qa"]');
    await upstreamFailing.locator('summary').click();
    expect(await upstreamFailing.locator('.trace-error').textContent()).toBe("node_error: component 'component' not found in pack");
    expect(await canvasNode(page, 'greet').getAttribute('class')).not.toMatch(/visited|failed/);

    // A file that is not a trace says what is wrong with it.
    writeFileSync(file, '{"trace_version": 2}');
    await page.getByRole('button', { name: 'Close trace' }).click();
    await page.getByTestId('trace-file-input').setInputFiles(file);
    await expect.poll(() => page.getByTestId('trace-file-error').textContent()).toContain('trace_version 2 is not supported');
    await page.close();
  });
});

describe('the Bundle workspace', () => {
  it('lists the packs, tenants, teams, rules and bindings of a bundle with its problems, and opens a pack', async () => {
    const bundle = await cleanBundle();
    try {
      bundle.write('tenants/acme/teams/support/team.gmap', 'acme.greeter/hello = public\nbilling = forbidden\n');
      const page = await openPage(session.browser, session.studio.url, 'bundle workspace');
      await page.getByRole('button', { name: 'Bundle', exact: true }).click();
      await page.getByLabel('Bundle folder path').fill(bundle.root);
      await page.getByRole('button', { name: 'Open bundle' }).click();
      await page.getByTestId('bundle-report').waitFor();
      expect(await page.getByTestId('bundle-report').locator('h2').textContent()).toContain('acme-demo');
      const pack = page.locator('[data-testid="bundle-pack"][data-path="packs/greeter.gtpack"]');
      expect(await pack.textContent()).toContain('acme.greeter 1.2.0');
      expect(await pack.textContent()).toContain('hello (2)');
      // The studio's trust store does not hold the tests' key: the signature is named, not hidden.
      expect(await pack.textContent()).toContain('no accepted signature');
      const problems = await page.getByTestId('bundle-problem').allTextContents();
      expect(problems).toContainEqual(expect.stringContaining('tenants/acme/teams/support/team.gmap:2 rule `billing` names pack `billing`, which the bundle does not have'));
      expect(problems).toContainEqual(expect.stringContaining('packs/greeter.gtpack no signature verifies with an accepted key'));
      expect(await page.locator('[data-testid="bundle-team"][data-team="support"]').textContent()).toContain('acme.greeter/hello = public');
      expect(await page.getByTestId('bundle-binding').first().textContent()).toContain('acme/support');
      expect(await page.getByTestId('bundle-binding').first().textContent()).toContain('acme.greeter/hello');

      await pack.getByRole('button', { name: 'Open flows' }).click();
      await expect.poll(() => page.locator('.pack-summary').textContent()).toContain('acme.greeter');
      await page.close();
    } finally {
      rmSync(bundle.root, { recursive: true, force: true });
    }
  });
});
