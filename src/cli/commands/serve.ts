import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { StudioError, type NatsServeInfo } from '../../shared/api';
import { createDirectLine, DIRECTLINE_PREFIX, normaliseOrigin } from '../../runtime/channels/webchat';
import { resolveLocalTarget } from '../../runtime/chat/local-chat';
import { openServedPack, type ServedPack } from '../../runtime/chat/pack-project';
import { startStudioServer } from '../../runtime/http/server';
import { generateToken } from '../../runtime/http/token';
import { profileFromFlags, type NatsFlags } from '../../runtime/connections/nats-flags';
import { RedisConnectError } from '../../runtime/sessions/redis-connection';
import { ENV_REDIS_URL, ENV_SESSION_BACKEND, openSessionStore, resolveSessionBackend, SessionConfigError } from '../../runtime/sessions/session-backend';
import type { SessionStore, SessionStoreDescription } from '../../runtime/sessions/session-store';
import { StudioService } from '../../runtime/studio';
import { TelemetrySwitch } from '../../runtime/telemetry/telemetry-switch';
import { usageError, type CommandModule } from '../command';
import { rendererDir, sampleProjectDir } from '../package-root';
import { waitForShutdownSignal } from '../signals';
import { isBundleFolder } from '../../runtime/bundle/bundle-layout';
import { serveBundle } from '../serve-bundle';
import { addTraceOptions, traceOutFrom, type TraceFlags } from '../trace-out';

const PACK_EXTENSION = '.gtpack';

export interface ServeOptions extends Partial<NatsFlags>, TraceFlags {
  ui?: boolean;
  port: string;
  host: string;
  json?: boolean;
  directlineIdle?: string;
  corsOrigin: string[];
  env: string;
  tenant: string;
  team: string;
  sessions?: string;
  otlp?: string;
  metrics?: boolean;
}

export const serveCommand: CommandModule = (program: Command) => {
  const command = program
    .command('serve')
    .description('serve a project, one flow or a pack over HTTP: the studio UI in a browser (--ui) and the local endpoints')
    .argument('<target>', 'a project folder (pack.yaml + flows/, or any folder with .ygtc files), a .ygtc flow (the default flow of its project), a .gtpack (served read-only) or a bundle folder (greentic.demo.yaml: each pack for its tenants and teams)')
    .option('--ui', 'also serve the studio UI (web mode)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <h>', 'address to bind', '127.0.0.1')
    .option('--json', 'print one JSON line when ready')
    .option('--directline-idle <seconds>', 'end Direct Line conversations after this long without activity (default 3600, the session lifetime)')
    .option(
      '--cors-origin <origin>',
      'let pages of this origin (scheme://host[:port]) use the Direct Line endpoint; repeatable (default: any origin; never the studio UI or its API)',
      collectOrigin,
      [],
    )
    .option('--nats <url>', 'also run the flows for Greentic messaging ingress on this NATS server (comma-separated URLs)')
    .option('--nats-user <user>', 'NATS user (with --nats-pass)')
    .option('--nats-pass <password>', 'NATS password')
    .option('--nats-token <token>', 'NATS token')
    .option('--nats-creds <file>', 'NATS credentials file (user JWT and NKEY seed)')
    .option('--nats-nkey <file>', 'file holding an NKEY user seed')
    .option('--nats-tls-ca <file>', 'CA certificate (PEM) to verify the NATS server')
    .option('--nats-tls-cert <file>', 'client certificate (PEM) for NATS mutual TLS (with --nats-tls-key)')
    .option('--nats-tls-key <file>', 'client key (PEM) for NATS mutual TLS')
    .option('--env <env>', 'environment of the NATS subjects served', 'dev')
    .option('--tenant <tenant>', 'tenant of the NATS subjects served', 'demo')
    .option('--team <team>', 'team of the NATS subjects served', 'default')
    .option(
      '--sessions <store>',
      `where conversation sessions live: memory (default) or redis://[user:password@]host:port[/db] (rediss:// for TLS), shared by every runner using it; default from ${ENV_SESSION_BACKEND} and ${ENV_REDIS_URL}`,
    )
    .option('--otlp <url>', 'export traces and metrics by OTLP/HTTP to this collector (base URL, as OTEL_EXPORTER_OTLP_ENDPOINT; default from the OTEL_* environment)')
    .option('--metrics', 'serve the runner metrics as Prometheus text at /metrics (needs the access token, like the UI)');
  addTraceOptions(command).action(async (target: string, options: ServeOptions) => {
      const port = parsePort(options.port);
      const idleSeconds = options.directlineIdle === undefined ? undefined : parseIdleSeconds(options.directlineIdle);
      const uiDir = options.ui ? rendererDir() : null;
      if (options.ui && !uiDir) throw usageError('the studio UI is not built; run `npm run build` first');

      if (await isBundleFolder(target)) return serveBundle(target, options, port, { openSessions: () => openSessions(options), openTelemetry: () => openTelemetry(options) });
      const served = await resolveServeTarget(target);
      const traceOut = await traceOutFrom(options, served.kind === 'pack' ? target : served.root, served.kind === 'pack' ? served.pack.label.split('@').at(-1) : undefined);
      // With the UI and no store named here, the studio's runner settings choose, as in the desktop app.
      const fixed = options.ui && !sessionsNamed(options) ? null : await openSessions(options);
      const telemetry = await openTelemetry(options);
      const given = { ...(fixed ? { sessions: fixed } : {}), ...(traceOut ? { traceOut } : {}), telemetry };
      const studio =
        served.kind === 'pack'
          ? new StudioService({ projectFolder: null, templateFolder: sampleProjectDir(), servedPack: served.pack, ...given })
          : new StudioService({
              projectFolder: served.root,
              templateFolder: sampleProjectDir(),
              ...given,
              ...(served.flowPath ? { defaultFlow: served.flowPath } : {}),
            });
      const sessions = studio.chat.sessions;
      if (!fixed) {
        const problem = (await studio.applySavedSettings()).sessions.problem;
        if (problem) process.stderr.write(`greentic-studio: ${problem}\n`);
      }
      if (served.kind === 'project') await studio.handlers.openProject({ path: served.root });
      const nats = await serveOnNats(studio, options).catch(async (error: unknown) => {
        await studio.nats.disconnect();
        await sessions.close();
        throw error;
      });
      const directLine = createDirectLine({
        chat: studio.chat,
        corsOrigins: options.corsOrigin,
        telemetry: telemetry.current,
        ...(idleSeconds === undefined ? {} : { idleTimeoutMs: idleSeconds * 1000 }),
      });
      const token = generateToken();
      const server = await startStudioServer({
        host: options.host,
        port,
        token,
        uiDir,
        handlers: studio.handlers,
        events: studio.events,
        mounts: [directLine],
        ...(options.metrics ? { metrics: async () => (await telemetry.current()?.prometheusText()) ?? '' } : {}),
      }).catch(async (error: unknown) => {
        await studio.nats.disconnect();
        await sessions.close();
        throw error;
      });

      const directline = `${server.origin}${DIRECTLINE_PREFIX}`;
      const unrunnable = served.kind === 'pack' ? served.pack.unrunnable : [];
      const ready = {
        event: 'ready',
        url: server.uiUrl,
        port: server.port,
        directline,
        secret: directLine.secret,
        sessions: sessions.description,
        ...telemetryReady(telemetry, options.metrics ? `${server.origin}/metrics?token=${encodeURIComponent(token)}` : null),
        ...(nats ? { nats: 'connected', subject: nats.subject, ingress: nats.ingress ?? 'core', ...(nats.stream ? { stream: nats.stream, consumer: nats.consumer } : {}) } : {}),
        ...(unrunnable.length > 0 ? { unrunnable: unrunnable.map(({ path, problem }) => ({ flow: path, problem })) } : {}),
      };
      for (const { path, problem } of unrunnable) process.stderr.write(`greentic-studio: flow ${path} cannot run: ${problem}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
      else {
        const lines = [`Greentic Studio is serving ${describeTarget(target, served)}`];
        if (options.ui) lines.push(`  UI:          ${server.uiUrl}`);
        lines.push(`  Direct Line: ${directline}`, `  secret:      ${directLine.secret}`, `  sessions:    ${describeSessions(sessions.description)}`);
        const status = telemetry.current()?.status();
        if (status?.traces) lines.push(`  traces:      ${status.traces}`);
        if (options.metrics) lines.push(`  metrics:     ${server.origin}/metrics?token=${encodeURIComponent(token)}`);
        if (nats) lines.push(`  NATS:        ${nats.subject} (${nats.stream ? `JetStream stream ${nats.stream}, consumer ${nats.consumer}` : `queue group ${nats.queueGroup}`})`);
        process.stdout.write(`${lines.join('\n')}\nPress Ctrl+C to stop.\n`);
      }

      await waitForShutdownSignal();
      await studio.nats.disconnect();
      await server.close();
      await sessions.close();
      await telemetry.shutdown();
    });
};

function sessionsNamed(options: ServeOptions): boolean {
  return options.sessions !== undefined || Boolean(process.env[ENV_SESSION_BACKEND]?.trim());
}

/** Telemetry from `--otlp`, `--metrics` and the `OTEL_*` environment; dropped spans are reported on stderr. */
async function openTelemetry(options: ServeOptions): Promise<TelemetrySwitch> {
  const telemetry = new TelemetrySwitch(null, {
    onDropped: (status, reason) =>
      process.stderr.write(`telemetry: ${JSON.stringify({ event: 'spans_dropped', dropped: status.spansDropped, exported: status.spansExported, reason })}\n`),
  });
  try {
    await telemetry.configure(process.env, { ...(options.otlp ? { endpoint: options.otlp } : {}), prometheus: options.metrics === true });
  } catch (error) {
    if (error instanceof StudioError) throw usageError(`telemetry: ${error.message}`);
    throw error;
  }
  return telemetry;
}

function telemetryReady(telemetry: TelemetrySwitch, metricsUrl: string | null): Record<string, string> {
  const status = telemetry.current()?.status();
  return { ...(status?.traces ? { traces: status.traces } : {}), ...(metricsUrl ? { metrics: metricsUrl } : {}) };
}

/** The session store named by `--sessions` or the environment; a Redis store that cannot be had stops the command (exit 2). */
async function openSessions(options: ServeOptions): Promise<SessionStore> {
  let config;
  try {
    config = resolveSessionBackend({ ...(options.sessions === undefined ? {} : { flag: options.sessions }), environment: process.env, env: options.env });
  } catch (error) {
    if (error instanceof SessionConfigError) throw usageError(error.message);
    throw error;
  }
  try {
    return await openSessionStore(config, { onStatus: (status) => process.stderr.write(`sessions: ${JSON.stringify(status)}\n`) });
  } catch (error) {
    if (error instanceof RedisConnectError) throw usageError(`cannot use the Redis session store: ${error.message}`);
    throw error;
  }
}

function describeSessions(description: SessionStoreDescription): string {
  return description.backend === 'memory' ? 'in memory (this process only)' : `Redis at ${description.url}, namespace ${description.namespace}`;
}

/** With `--nats`, connects with the `--nats*` flags and serves the project's flows; NATS news goes to stderr. */
async function serveOnNats(studio: StudioService, options: ServeOptions): Promise<NatsServeInfo | null> {
  if (!options.nats) {
    const stray = Object.keys(options).find((key) => key.startsWith('nats'));
    if (stray) throw usageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --nats <url>`);
    return null;
  }
  const profile = await profileFromFlags({ ...options, nats: options.nats });
  studio.events.subscribe((name, payload) => {
    if (name === 'natsBridge') process.stderr.write(`nats: ${JSON.stringify(payload)}\n`);
    if (name === 'natsStatus') process.stderr.write(`nats: ${JSON.stringify(payload)}\n`);
  });
  await studio.nats.connectWith(profile);
  return studio.nats.serve({ env: options.env, tenant: options.tenant, team: options.team });
}

type ServeTarget = { kind: 'project'; root: string; flowPath?: string } | { kind: 'pack'; pack: ServedPack };

/** A folder, a flow file or a pack; a usage error that names the problem for anything else. */
async function resolveServeTarget(target: string): Promise<ServeTarget> {
  try {
    if (target.endsWith(PACK_EXTENSION) && (await fs.stat(target).catch(() => null))?.isFile()) {
      return { kind: 'pack', pack: await openServedPack(target) };
    }
    return { kind: 'project', ...(await resolveLocalTarget(target)) };
  } catch (error) {
    if (error instanceof StudioError && error.code === 'bad_request') {
      throw usageError(`cannot serve ${target}: give a project folder, a flow file (.ygtc) or a pack (${PACK_EXTENSION})`);
    }
    if (error instanceof StudioError) throw usageError(error.message);
    throw error;
  }
}

function describeTarget(target: string, served: ServeTarget): string {
  if (served.kind === 'pack') return `the pack ${served.pack.label} (${target}), read-only`;
  return served.flowPath ? `${target} (project ${served.root})` : target;
}

function collectOrigin(value: string, previous: string[]): string[] {
  try {
    return [...previous, normaliseOrigin(value)];
  } catch (error) {
    throw usageError(`--cors-origin: ${(error as Error).message}`);
  }
}

function parseIdleSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(`--directline-idle must be a positive number of seconds, got '${value}'`);
  }
  return seconds;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a number from 0 to 65535, got '${value}'`);
  return port;
}
