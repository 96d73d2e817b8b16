/**
 * `serve <bundle>`: runs every app pack of a deployment bundle for the bundle's tenants and teams.
 * Each pack answers Direct Line on its own port; a conversation whose tenant and team the bundle's
 * `.gmap` rules do not allow the flow is refused (403). With `--nats`, every tenant and team with an
 * open flow is served on its ingress subjects by the pack of its first open flow.
 */
import path from 'node:path';
import type { NatsServeInfo } from '../shared/api';
import { createDirectLine, DIRECTLINE_PREFIX } from '../runtime/channels/webchat';
import { ChatRuntimeRunner } from '../runtime/channels/nats/chat-runner';
import { NatsService } from '../runtime/channels/nats/service';
import { openServedPack } from '../runtime/chat/pack-project';
import { profileFromFlags } from '../runtime/connections/nats-flags';
import { fileNatsProfileStore, studioConfigDir } from '../runtime/connections/file-store';
import { bundleAdmission } from '../runtime/bundle/bundle-access';
import { checkBundle, type CheckedBundle } from '../runtime/bundle/bundle-check';
import { BundleError } from '../runtime/bundle/bundle-layout';
import type { ResolvedPack } from '../runtime/bundle/bundle-packs';
import { startStudioServer, type RunningServer } from '../runtime/http/server';
import { generateToken } from '../runtime/http/token';
import type { SessionStore } from '../runtime/sessions/session-store';
import { StudioService } from '../runtime/studio';
import { usageError } from './command';
import { sampleProjectDir } from './package-root';
import { waitForShutdownSignal } from './signals';
import type { ServeOptions } from './commands/serve';
import { verifyOptionsFrom } from './verify-keys';

interface ServedBundlePack {
  resolved: ResolvedPack;
  studio: StudioService;
  server: RunningServer;
  secret: string;
}

export async function serveBundle(folder: string, options: ServeOptions, port: number, openSessions: () => Promise<SessionStore>): Promise<void> {
  if (options.ui) throw usageError('--ui serves one project or pack; open a bundle in the studio\'s Bundle workspace instead');
  const checked = await checkBundle(folder, await verifyOptionsFrom({ anySigner: true })).catch((error: unknown) => {
    if (error instanceof BundleError) throw usageError(error.message);
    throw error;
  });
  for (const problem of checked.report.problems) process.stderr.write(`bundle: ${problem.severity}: ${problem.where}: ${problem.message}\n`);
  const runnable = checked.packs.filter((resolved) => resolved.pack.packId && resolved.flows.length > 0);
  if (runnable.length === 0) throw usageError(`the bundle ${checked.report.name} has no pack that can run`);

  const sessions = await openSessions();
  const served: ServedBundlePack[] = [];
  const nats: { service: NatsService; info: NatsServeInfo; pack: string }[] = [];
  const stopAll = async () => {
    for (const entry of nats) await entry.service.disconnect();
    for (const entry of served) await entry.server.close();
    await sessions.close();
  };
  try {
    for (const [index, resolved] of runnable.entries()) served.push(await servePack(checked, resolved, options, port === 0 ? 0 : port + index, sessions));
    if (options.nats) nats.push(...(await serveBindingsOnNats(checked, served, options)));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const ready = {
    event: 'ready',
    bundle: checked.report.name,
    sessions: sessions.description,
    packs: served.map(({ resolved, server, secret }) => ({
      pack: resolved.pack.packId,
      path: resolved.pack.path,
      port: server.port,
      directline: `${server.origin}${DIRECTLINE_PREFIX}`,
      secret,
      flows: resolved.flows.map((flow) => flow.id),
    })),
    bindings: checked.report.bindings,
    ...(nats.length > 0 ? { nats: nats.map(({ info, pack }) => ({ subject: info.subject, pack, ingress: info.ingress ?? 'core' })) } : {}),
    problems: checked.report.problems.length,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
  else {
    const lines = [`Greentic Studio is serving the bundle ${checked.report.name}`];
    for (const pack of ready.packs) lines.push(`  ${pack.pack}: Direct Line ${pack.directline} (secret ${pack.secret})`);
    for (const binding of checked.report.bindings) lines.push(`  ${binding.tenant}/${binding.team}: ${binding.flows.join(', ') || '(no flow)'}`);
    for (const entry of ready.nats ?? []) lines.push(`  NATS: ${entry.subject} -> ${entry.pack}`);
    process.stdout.write(`${lines.join('\n')}\nPress Ctrl+C to stop.\n`);
  }
  await waitForShutdownSignal();
  await stopAll();
}

async function servePack(bundle: CheckedBundle, resolved: ResolvedPack, options: ServeOptions, port: number, sessions: SessionStore): Promise<ServedBundlePack> {
  const location = path.join(bundle.layout.root, resolved.pack.path);
  const admit = bundleAdmission(bundle, resolved.pack.packId as string);
  const studio =
    resolved.pack.kind === 'gtpack'
      ? new StudioService({ projectFolder: null, templateFolder: sampleProjectDir(), servedPack: await openServedPack(location), sessions, admit })
      : new StudioService({ projectFolder: location, templateFolder: sampleProjectDir(), sessions, admit });
  if (resolved.pack.kind === 'dir') await studio.handlers.openProject({ path: location });
  const directLine = createDirectLine({ chat: studio.chat, corsOrigins: options.corsOrigin });
  const server = await startStudioServer({ host: options.host, port, token: generateToken(), uiDir: null, handlers: studio.handlers, events: studio.events, mounts: [directLine] });
  return { resolved, studio, server, secret: directLine.secret };
}

/** One NATS connection per tenant and team, each serving its first open flow's pack with that flow. */
async function serveBindingsOnNats(bundle: CheckedBundle, served: ServedBundlePack[], options: ServeOptions) {
  const profile = await profileFromFlags({ ...options, nats: options.nats as string });
  const out: { service: NatsService; info: NatsServeInfo; pack: string }[] = [];
  const reporting = new Set<ServedBundlePack>();
  for (const binding of bundle.report.bindings) {
    const [first] = binding.flows;
    if (!first) continue;
    const packId = first.slice(0, first.lastIndexOf('/'));
    const flowId = first.slice(first.lastIndexOf('/') + 1);
    const pack = served.find((entry) => entry.resolved.pack.packId === packId);
    if (!pack) continue;
    const chat = await pack.studio.chat.project();
    const flowPath = (await chat.flows.pathOf(flowId)) ?? undefined;
    const service = new NatsService({
      events: pack.studio.events,
      // Only `connectWith` is used: the profile comes from the flags, and nothing is stored.
      profiles: fileNatsProfileStore(studioConfigDir()),
      runner: new ChatRuntimeRunner(async () => (await pack.studio.chat.project()).runtime, flowPath ? { flowPath } : {}),
    });
    if (!reporting.has(pack)) {
      reporting.add(pack);
      pack.studio.events.subscribe((name, payload) => {
        if (name === 'natsBridge' || name === 'natsStatus') process.stderr.write(`nats: ${JSON.stringify(payload)}\n`);
      });
    }
    await service.connectWith(profile);
    out.push({ service, pack: packId, info: await service.serve({ env: options.env, tenant: binding.tenant, team: binding.team }, flowPath ? { flowPath } : {}) });
  }
  return out;
}
