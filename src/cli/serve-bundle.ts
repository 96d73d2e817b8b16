/**
 * `serve <bundle>`: runs every app pack of a deployment bundle for the bundle's tenants and teams.
 * Each pack answers Direct Line on its own port; a conversation whose tenant and team the bundle's
 * `.gmap` rules do not allow the flow is refused (403), and a node they forbid stops the turn. With
 * `--nats`, every tenant and team with an open flow is served on its ingress subjects, each message
 * routed to the pack and flow it belongs to.
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
import { BundleRouteRunner, type RoutedFlow } from '../runtime/bundle/bundle-router';
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
import { traceOutFrom } from './trace-out';
import type { TelemetrySwitch } from '../runtime/telemetry/telemetry-switch';

interface ServedBundlePack {
  resolved: ResolvedPack;
  studio: StudioService;
  server: RunningServer;
  secret: string;
  /** The server's access token (`/metrics` asks for it). */
  token: string;
}

/** What every pack of the bundle shares: one session store and one telemetry, as one runner process. */
export interface BundleRunnerParts {
  openSessions: () => Promise<SessionStore>;
  openTelemetry: () => Promise<TelemetrySwitch>;
}

export async function serveBundle(folder: string, options: ServeOptions, port: number, parts: BundleRunnerParts): Promise<void> {
  if (options.ui) throw usageError('--ui serves one project or pack; open a bundle in the studio\'s Bundle workspace instead');
  const checked = await checkBundle(folder, await verifyOptionsFrom({ anySigner: true })).catch((error: unknown) => {
    if (error instanceof BundleError) throw usageError(error.message);
    throw error;
  });
  for (const problem of checked.report.problems) process.stderr.write(`bundle: ${problem.severity}: ${problem.where}: ${problem.message}\n`);
  const runnable = checked.packs.filter((resolved) => resolved.pack.packId && resolved.flows.length > 0);
  if (runnable.length === 0) throw usageError(`the bundle ${checked.report.name} has no pack that can run`);

  const telemetry = await parts.openTelemetry();
  const sessions = await parts.openSessions().catch(async (error: unknown) => {
    await telemetry.shutdown();
    throw error;
  });
  const served: ServedBundlePack[] = [];
  const nats: { service: NatsService; info: NatsServeInfo; pack: string }[] = [];
  const stopAll = async () => {
    for (const entry of nats) await entry.service.disconnect();
    for (const entry of served) await entry.server.close();
    await sessions.close();
    await telemetry.shutdown();
  };
  try {
    for (const [index, resolved] of runnable.entries()) served.push(await servePack(checked, resolved, options, port === 0 ? 0 : port + index, { sessions, telemetry }));
    if (options.nats) nats.push(...(await serveBindingsOnNats(checked, served, options, sessions)));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const traces = telemetry.current()?.status().traces;
  const ready = {
    event: 'ready',
    bundle: checked.report.name,
    sessions: sessions.description,
    ...(traces ? { traces } : {}),
    packs: served.map(({ resolved, server, secret, token }) => ({
      pack: resolved.pack.packId,
      path: resolved.pack.path,
      port: server.port,
      directline: `${server.origin}${DIRECTLINE_PREFIX}`,
      secret,
      flows: resolved.flows.map((flow) => flow.id),
      ...(options.metrics ? { metrics: `${server.origin}/metrics?token=${encodeURIComponent(token)}` } : {}),
    })),
    bindings: checked.report.bindings,
    ...(nats.length > 0 ? { nats: nats.map(({ info, pack }) => ({ subject: info.subject, pack, ingress: info.ingress ?? 'core' })) } : {}),
    problems: checked.report.problems.length,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
  else {
    const lines = [`Greentic Studio is serving the bundle ${checked.report.name}`];
    for (const pack of ready.packs) lines.push(`  ${pack.pack}: Direct Line ${pack.directline} (secret ${pack.secret})${pack.metrics ? `, metrics ${pack.metrics}` : ''}`);
    if (traces) lines.push(`  traces: ${traces}`);
    for (const binding of checked.report.bindings) lines.push(`  ${binding.tenant}/${binding.team}: ${binding.flows.join(', ') || '(no flow)'}`);
    for (const entry of ready.nats ?? []) lines.push(`  NATS: ${entry.subject} -> ${entry.pack}`);
    process.stdout.write(`${lines.join('\n')}\nPress Ctrl+C to stop.\n`);
  }
  await waitForShutdownSignal();
  await stopAll();
}

async function servePack(
  bundle: CheckedBundle,
  resolved: ResolvedPack,
  options: ServeOptions,
  port: number,
  shared: { sessions: SessionStore; telemetry: TelemetrySwitch },
): Promise<ServedBundlePack> {
  const location = path.join(bundle.layout.root, resolved.pack.path);
  const admit = bundleAdmission(bundle, resolved.pack.packId as string);
  const traceOut = await traceOutFrom(options, location, resolved.pack.version ?? undefined);
  const given = { templateFolder: sampleProjectDir(), ...shared, admit, ...(traceOut ? { traceOut } : {}) };
  const studio =
    resolved.pack.kind === 'gtpack'
      ? new StudioService({ projectFolder: null, servedPack: await openServedPack(location), ...given })
      : new StudioService({ projectFolder: location, ...given });
  if (resolved.pack.kind === 'dir') await studio.handlers.openProject({ path: location });
  const directLine = createDirectLine({ chat: studio.chat, corsOrigins: options.corsOrigin, telemetry: shared.telemetry.current });
  const token = generateToken();
  const server = await startStudioServer({
    host: options.host,
    port,
    token,
    uiDir: null,
    handlers: studio.handlers,
    events: studio.events,
    mounts: [directLine],
    ...(options.metrics ? { metrics: async () => (await shared.telemetry.current()?.prometheusText()) ?? '' } : {}),
  });
  return { resolved, studio, server, secret: directLine.secret, token };
}

/**
 * One NATS connection per tenant and team. Its messages go to the pack their session waits in, else
 * the pack and flow their `route` names, else the team's default flow (see `BundleRouteRunner`).
 */
async function serveBindingsOnNats(bundle: CheckedBundle, served: ServedBundlePack[], options: ServeOptions, sessions: SessionStore) {
  const profile = await profileFromFlags({ ...options, nats: options.nats as string });
  const out: { service: NatsService; info: NatsServeInfo; pack: string }[] = [];
  const reporting = new Set<ServedBundlePack>();
  const everyFlow = served.flatMap((entry) => entry.resolved.flows.map((flow) => `${entry.resolved.pack.packId}/${flow.id}`));
  for (const binding of bundle.report.bindings) {
    const open = await routedFlows(binding.flows, served);
    if (open.length === 0) continue;
    const router = new BundleRouteRunner(open, new Set(everyFlow.filter((flow) => !binding.flows.includes(flow))), sessions);
    const home = served.find((entry) => entry.resolved.pack.packId === router.defaultFlow.packId) as ServedBundlePack;
    const service = new NatsService({
      events: home.studio.events,
      // Only `connectWith` is used: the profile comes from the flags, and nothing is stored.
      profiles: fileNatsProfileStore(studioConfigDir()),
      runner: router,
    });
    if (!reporting.has(home)) {
      reporting.add(home);
      home.studio.events.subscribe((name, payload) => {
        if (name === 'natsBridge' || name === 'natsStatus') process.stderr.write(`nats: ${JSON.stringify(payload)}\n`);
      });
    }
    await service.connectWith(profile);
    out.push({ service, pack: router.defaultFlow.packId, info: await service.serve({ env: options.env, tenant: binding.tenant, team: binding.team }) });
  }
  return out;
}

/** The served flows a binding opens (`pack/flow`), each with its pack's runner. */
async function routedFlows(open: readonly string[], served: ServedBundlePack[]): Promise<RoutedFlow[]> {
  const flows: RoutedFlow[] = [];
  for (const entry of served) {
    const packId = entry.resolved.pack.packId as string;
    const library = (await entry.studio.chat.project()).flows;
    const runner = new ChatRuntimeRunner(async () => (await entry.studio.chat.project()).runtime);
    for (const flow of entry.resolved.flows) {
      if (!open.includes(`${packId}/${flow.id}`)) continue;
      const flowPath = await library.pathOf(flow.id);
      if (flowPath) flows.push({ packId, flowId: flow.id, kind: flow.kind, flowPath, runner });
    }
  }
  return flows;
}
