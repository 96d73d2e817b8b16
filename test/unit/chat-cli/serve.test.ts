import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { call, sampleProject } from '../webchat/support';
import { conformancePath, hasConformance } from '../../support/conformance';
import { legacyPackBytes } from '../chat/legacy-pack-fixture';
import { startServe, type Ready } from './serve-support';

type Activity = { id: string; type: string; from: { id: string }; text?: string; attachments?: { content: unknown }[] };

/**
 * A Direct Line user of a served studio: opens one conversation (on `flow`, when given) and waits for
 * the replies to the opening turn the webchat provider runs; then each message in, its bot replies out.
 */
async function directLineUser(ready: Ready, flow?: string) {
  const generated = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret, body: { user: { id: 'ada' } } });
  const opened = await call(ready.directline, 'POST', '/conversations', {
    bearer: generated.json.token as string,
    ...(flow ? { headers: { 'X-Greentic-Flow': flow } } : {}),
  });
  expect(opened.json).toMatchObject({ conversationId: expect.any(String) });
  const route = `/conversations/${opened.json.conversationId as string}/activities`;
  const bearer = opened.json.token as string;
  let watermark = '';
  const botActivitiesSince = async (): Promise<Activity[]> => {
    const { json } = await call(ready.directline, 'GET', `${route}?watermark=${watermark}`, { bearer });
    watermark = json.watermark as string;
    return (json.activities as Activity[]).filter((a) => a.from.id === 'bot' && a.type === 'message');
  };
  let opening: Activity[] = [];
  await expect.poll(async () => (opening = [...opening, ...(await botActivitiesSince())]).length).toBeGreaterThan(0);
  /** Posts one activity and returns the bot activities that answer it (the turn has run when the post returns). */
  const say = async (activity: Record<string, unknown>): Promise<Activity[]> => {
    const posted = await call(ready.directline, 'POST', route, { bearer, body: { type: 'message', ...activity } });
    expect(posted.status).toBe(201);
    return botActivitiesSince();
  };
  return { opening, say };
}

const cardText = (activity: Activity | undefined) => JSON.stringify(activity?.attachments?.[0]?.content ?? null);

describe('greentic-studio serve <folder|flow|pack>', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'serve-targets-'));
    vi.stubEnv('GREENTIC_STUDIO_CONFIG_DIR', path.join(dir, 'config'));
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a pack built from the sample project, read-only, through a parked wait and a card submit over Direct Line', async () => {
    const pack = path.join(dir, 'sample.gtpack');
    writeFileSync(pack, (await buildPack(sampleProject)).bytes);
    const serve = startServe([pack]);
    const { opening, say } = await directLineUser(await serve.ready(), 'main');

    expect(opening.map((a) => a.text)).toEqual(['Hello! I\'m the Greentic Studio sample bot. What\'s your name?']);
    const named = await say({ text: 'Ada' });
    expect(named[0]?.text).toBe('Nice to meet you, Ada!');
    expect(cardText(named[1])).toContain('What would you like to know?');
    // The card comes from assets/cards/about.json inside the archive.
    const about = await say({ value: { action: 'about' } });
    expect(cardText(about[0])).toContain('About Greentic Studio');
    expect(cardText(about[0])).toContain('Nice to meet you, Ada!');

    expect(await serve.stop()).toBe(0);
  });

  it('serves one flow file with its folder as the project and that flow as the default', async () => {
    const project = path.join(dir, 'two-flows');
    cpSync(sampleProject, project, { recursive: true });
    // A second messaging flow: with a folder, a conversation could not choose between the two.
    writeFileSync(
      path.join(project, 'flows', 'echo.ygtc'),
      'id: echo\ntype: messaging\nnodes:\n  echo:\n    templating.handlebars:\n      text: "echo: {{in.input.text}}"\n',
    );
    const serve = startServe([path.join(project, 'flows', 'echo.ygtc')]);
    const { opening, say } = await directLineUser(await serve.ready());
    expect(opening.map((a) => a.text)).toEqual(['echo: ']);
    expect((await say({ text: 'ping' })).map((a) => a.text)).toEqual(['echo: ping']);
    expect(await serve.stop()).toBe(0);
  });

  it('serves the flow file it is given when another file of the folder has the same id', async () => {
    const project = path.join(dir, 'same-id');
    mkdirSync(project);
    const flow = (says: string) => `id: main\ntype: messaging\nnodes:\n  hello:\n    templating.handlebars:\n      text: "${says} {{in.input.text}}"\n`;
    writeFileSync(path.join(project, 'a.ygtc'), flow('from a'));
    writeFileSync(path.join(project, 'b.ygtc'), flow('from b'));
    const serve = startServe([path.join(project, 'b.ygtc')]);
    const { opening, say } = await directLineUser(await serve.ready());
    expect(opening.map((a) => a.text)).toEqual(['from b ']);
    expect((await say({ text: 'ping' })).map((a) => a.text)).toEqual(['from b ping']);
    expect(await serve.stop()).toBe(0);
  });

  it('serves a project folder', async () => {
    const serve = startServe([sampleProject]);
    const { opening, say } = await directLineUser(await serve.ready(), 'main');
    expect(opening.map((a) => a.text)).toEqual(['Hello! I\'m the Greentic Studio sample bot. What\'s your name?']);
    expect((await say({ text: 'Ada' }))[0]?.text).toBe('Nice to meet you, Ada!');
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a missing path, a file that is neither a flow nor a pack, and a broken pack with a clear message and exit code 2', async () => {
    const notAFlow = path.join(dir, 'notes.txt');
    writeFileSync(notAFlow, 'hello');
    const broken = path.join(dir, 'broken.gtpack');
    writeFileSync(broken, 'PK this is not a zip archive');
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing'), /no such file or folder: .*missing/],
      [notAFlow, /cannot serve .*notes\.txt: give a project folder, a flow file \(\.ygtc\) or a pack \(\.gtpack\)/],
      [broken, /broken\.gtpack is not a readable pack: /],
    ];
    for (const [target, message] of cases) {
      const serve = startServe([target]);
      expect(await serve.exit).toBe(2);
      expect(serve.stderr()).toMatch(message);
    }
  });

  it('ends Direct Line conversations idle for --directline-idle seconds', async () => {
    const serve = startServe([sampleProject, '--directline-idle', '0.2']);
    const ready = await serve.ready();
    const generated = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret });
    const opened = await call(ready.directline, 'POST', '/conversations', { bearer: generated.json.token as string });
    const route = `/conversations/${opened.json.conversationId as string}/activities`;
    expect((await call(ready.directline, 'GET', route, { bearer: opened.json.token as string })).status).toBe(200);
    // The server's own timer ends it: nothing touches the conversation meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await call(ready.directline, 'GET', route, { bearer: opened.json.token as string })).toEqual({
      status: 404,
      json: { error: 'not_found', message: 'conversation not found: it ended after 200 ms without activity' },
    });
    expect(await serve.stop()).toBe(0);
  });

  it('refuses an idle time that is not a positive number of seconds', async () => {
    for (const value of ['0', '-5', 'soon']) {
      const serve = startServe([sampleProject, '--directline-idle', value]);
      expect(await serve.exit).toBe(2);
      expect(serve.stderr()).toContain(`--directline-idle must be a positive number of seconds, got '${value}'`);
    }
  });

  it('serves a legacy pack\'s flow from its YAML source over Direct Line', async () => {
    const pack = path.join(dir, 'legacy.gtpack');
    const flow = 'id: hello\ntype: messaging\nnodes:\n  hello:\n    templating.handlebars:\n      text: "legacy says: {{in.input.text}}"\n';
    writeFileSync(pack, await legacyPackBytes('acme.legacy', [{ id: 'hello', yaml: flow }]));
    const serve = startServe([pack]);
    const ready = await serve.ready();
    expect(ready.unrunnable).toBeUndefined();
    const { opening, say } = await directLineUser(ready);
    expect(opening.map((a) => a.text)).toEqual(['legacy says: ']);
    expect((await say({ text: 'hi' })).map((a) => a.text)).toEqual(['legacy says: hi']);
    expect(await serve.stop()).toBe(0);
  });

  it.skipIf(!hasConformance)('says which flows of the corpus legacy pack it cannot run and why, at start and to a Direct Line client', async () => {
    const serve = startServe([conformancePath('packs/archives/legacy-signed-demo.gtpack')]);
    const ready = await serve.ready();
    const problem = expect.stringMatching(
      /^legacy flow qa: its source flows\/qa\/flow\.yaml does not load as a flow \(.*missing required property 'type'\), and its compiled form flows\/qa\/flow\.json \(kind flow\/v1, 0 nodes, entry "start"\) is not run: the studio does not execute the legacy compiled flow model/,
    );
    expect(ready.unrunnable).toEqual([{ flow: 'flows/qa/flow.yaml', problem }]);
    expect(serve.stderr()).toMatch(/^greentic-studio: flow flows\/qa\/flow\.yaml cannot run: legacy flow qa: its source flows\/qa\/flow\.yaml does not load/m);

    const generated = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret });
    const opened = await call(ready.directline, 'POST', '/conversations', { bearer: generated.json.token as string });
    expect(opened.status).toBe(400);
    expect(opened.json.message).toMatch(/^the project has no flow that compiles: flows\/qa\/flow\.yaml: legacy flow qa: /);
    expect(await serve.stop()).toBe(0);
  });
});
