import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { repoRoot } from '../../support/conformance';

const flow = path.join(repoRoot, 'resources', 'sample-project', 'flows', 'main.ygtc');

describe('greentic-studio node run', () => {
  it("prints a node's output as JSON", async () => {
    const run = await runCliCaptured('node', 'run', flow, 'say_hello', '--input', '{"messages": [{"type": "text", "text": "Hi Ada"}]}');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ messages: [{ type: 'text', text: 'Hi Ada' }] });
  });

  it('prints the whole result with --json, and says where the flow would go', async () => {
    const run = await runCliCaptured('node', 'run', flow, 'wait_for_name', '--input', '{"reason": "the name"}', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'ok', nodeId: 'wait_for_name', next: { action: 'wait', reason: 'the name' } });
  });

  it('exits 1 when the node fails and 2 for bad input or an unknown node', async () => {
    const failed = await runCliCaptured('node', 'run', flow, 'count', '--input', '{"input": 42}');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('node count failed');
    const notJson = await runCliCaptured('node', 'run', flow, 'greet', '--input', '{nope');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--input is not valid JSON');
    const unknown = await runCliCaptured('node', 'run', flow, 'nowhere', '--input', '{}');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no node nowhere');
  }, 60_000);
});
