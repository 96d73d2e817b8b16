import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchProject, type ProjectWatcher } from '../../../src/runtime/project/watcher';

const FLOW = 'id: f\ntype: messaging\nnodes: {}\n';
/** Long enough for a watch to be in place before the next change, as a person's next action would be. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('the project watcher follows folders created, moved and deleted after it started', () => {
  let root: string;
  let watcher: ProjectWatcher;
  let seen: string[];

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'studio-watch-'));
    mkdirSync(path.join(root, 'flows'));
    writeFileSync(path.join(root, 'flows', 'main.ygtc'), FLOW);
    seen = [];
    watcher = watchProject(root, (paths) => seen.push(...paths));
  });

  afterEach(() => {
    watcher.close();
    rmSync(root, { recursive: true, force: true });
  });

  const file = (...parts: string[]) => path.join(root, ...parts);
  const reported = (relative: string) => expect.poll(() => seen).toContain(relative);

  it('reports a flow written into a folder created after the project was opened', async () => {
    mkdirSync(file('support'));
    await settle();
    writeFileSync(file('support', 'desk.ygtc'), FLOW);
    await reported('support/desk.ygtc');
    // Nested folders made later are followed too.
    mkdirSync(file('support', 'deep'));
    await settle();
    writeFileSync(file('support', 'deep', 'faq.ygtc'), FLOW);
    await reported('support/deep/faq.ygtc');
  });

  it('reports the flows of a folder tree moved into the project, and later changes to them', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'studio-watch-outside-'));
    mkdirSync(path.join(outside, 'billing', 'refunds'), { recursive: true });
    writeFileSync(path.join(outside, 'billing', 'invoice.ygtc'), FLOW);
    writeFileSync(path.join(outside, 'billing', 'refunds', 'refund.ygtc'), FLOW);
    renameSync(path.join(outside, 'billing'), file('billing'));
    await reported('billing/invoice.ygtc');
    await reported('billing/refunds/refund.ygtc');
    seen.length = 0;
    writeFileSync(file('billing', 'refunds', 'refund.ygtc'), `${FLOW}# edited\n`);
    await reported('billing/refunds/refund.ygtc');
    rmSync(outside, { recursive: true, force: true });
  });

  it('reports a deleted folder, and a renamed one under both names, and keeps following the new name', async () => {
    mkdirSync(file('old'));
    await settle();
    writeFileSync(file('old', 'a.ygtc'), FLOW);
    await reported('old/a.ygtc');

    renameSync(file('old'), file('renamed'));
    await reported('old');
    await reported('renamed/a.ygtc');
    seen.length = 0;
    writeFileSync(file('renamed', 'a.ygtc'), `${FLOW}# edited\n`);
    await reported('renamed/a.ygtc');
    expect(seen).not.toContain('old/a.ygtc');

    rmSync(file('renamed'), { recursive: true });
    await reported('renamed');
  });

  it('follows a folder deleted and created again under the same name', async () => {
    mkdirSync(file('again'));
    await settle();
    rmSync(file('again'), { recursive: true });
    mkdirSync(file('again'));
    await settle();
    seen.length = 0;
    writeFileSync(file('again', 'b.ygtc'), FLOW);
    await reported('again/b.ygtc');
  });

  it('leaves hidden and build folders alone, and reports nothing after it is closed', async () => {
    mkdirSync(file('node_modules'));
    mkdirSync(file('.git'));
    await settle();
    writeFileSync(file('node_modules', 'x.ygtc'), FLOW);
    writeFileSync(file('.git', 'y.ygtc'), FLOW);
    writeFileSync(file('flows', 'main.ygtc'), `${FLOW}# marker\n`);
    await reported('flows/main.ygtc');
    expect(seen.filter((p) => p.includes('node_modules') || p.includes('.git'))).toEqual([]);

    watcher.close();
    seen.length = 0;
    mkdirSync(file('late'));
    writeFileSync(file('late', 'c.ygtc'), FLOW);
    writeFileSync(file('flows', 'main.ygtc'), FLOW);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen).toEqual([]);
  });
});
