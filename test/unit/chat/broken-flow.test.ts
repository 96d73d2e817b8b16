import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { StudioService } from '../../../src/runtime/studio';
import { repoRoot } from '../../support/conformance';

describe('a conversation whose flow stops compiling', () => {
  it('names the missing node the route points to, not an unknown flow', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'studio-broken-'));
    cpSync(path.join(repoRoot, 'resources', 'sample-project'), project, { recursive: true });
    const studio = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-config-')) });
    const { handlers } = studio;
    await handlers.openProject({ path: project });
    const { conversationId } = await handlers.startConversation({ flowPath: 'flows/main.ygtc' });

    const flowFile = path.join(project, 'flows', 'main.ygtc');
    writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace('      - to: say_hello', '      - to: say_helo'));
    // The runner re-reads the project's flows every few hundred milliseconds: a turn soon sees the edit.
    const error = await vi.waitFor(
      async () => {
        const outcome = await handlers.sendMessage({ conversationId, text: 'hi' }).then(() => null, (e: unknown) => e);
        if (outcome === null) throw new Error('the turn still ran the flow as it was');
        return outcome as Error & { code?: string };
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(error.code).toBe('invalid_flow');
    expect(error.message).toContain("Missing node 'say_helo' referenced in routing from 'greet'");
    expect(error.message).not.toContain('unknown_flow');
  });
});
