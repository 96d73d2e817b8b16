import { cpSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscriptFile } from '../../../src/runtime/chat/transcript-runner';
import { StudioService } from '../../../src/runtime/studio';
import { repoRoot } from '../../support/conformance';

describe('save this conversation as a transcript test', () => {
  it('writes the issue format (user / submit turns) and the saved test replays green', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'studio-transcript-'));
    cpSync(path.join(repoRoot, 'resources', 'sample-project'), project, { recursive: true });
    const studio = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-config-')) });
    const { handlers } = studio;
    await handlers.openProject({ path: project });
    const { conversationId } = await handlers.startConversation({ flowPath: 'flows/main.ygtc' });
    await handlers.sendMessage({ conversationId, text: 'hi' });
    await handlers.sendMessage({ conversationId, text: 'Grace' });
    await handlers.sendMessage({ conversationId, submit: { action: 'about' } });

    const saved = await handlers.saveTranscript({ conversationId, path: 'tests/saved.yaml' });
    const text = await readFile(path.join(project, 'tests', 'saved.yaml'), 'utf8');
    expect(text).toBe(saved.text);
    expect(text).toContain('- user: hi');
    expect(text).toContain('- user: Grace');
    expect(text).toMatch(/- submit:\n\s+action: about/);

    const report = await runTranscriptFile(path.join(project, 'tests', 'saved.yaml'));
    expect(report.error).toBeUndefined();
    expect(report.turns).toHaveLength(3);
    expect(report.passed).toBe(true);
  });
});
