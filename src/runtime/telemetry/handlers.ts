import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import type { Handlers } from '../../shared/api/define';
import { readJsonFile } from '../connections/json-file';
import { writeFileAtomic } from '../fs/atomic';
import type { OtlpTraceDocument, telemetryMethods, TelemetrySettings, TelemetryState } from '../../shared/api/telemetry';
import type { ChatHost } from '../chat/chat-host';
import type { TelemetrySettingsStore } from './settings-store';
import type { TelemetrySwitch } from './telemetry-switch';
import { turnDocument } from './turn-document';

export interface TelemetryHandlerDeps {
  chat: ChatHost;
  telemetry: TelemetrySwitch;
  settings: TelemetrySettingsStore;
  env: Record<string, string | undefined>;
  /** The open project's folder: where a relative trace file path points. */
  projectRoot: () => Promise<string>;
}

/** A trace of one turn is small; a file far larger is not one the timeline should load. */
const MAX_TRACE_FILE_BYTES = 16 * 1024 * 1024;

/** The settings only decide when they enable export; otherwise the `OTEL_*` environment does. */
export function overridesOf(settings: TelemetrySettings) {
  return settings.enabled ? { endpoint: settings.endpoint, protocol: settings.protocol, serviceName: settings.serviceName } : {};
}

export function createTelemetryHandlers(deps: TelemetryHandlerDeps): Handlers<typeof telemetryMethods> {
  const state = async (settings?: TelemetrySettings): Promise<TelemetryState> => ({
    settings: settings ?? (await deps.settings.read()),
    status: deps.telemetry.current()?.status() ?? null,
  });
  return {
    getTelemetry: () => state(),
    setTelemetrySettings: async (settings) => {
      await deps.telemetry.configure(deps.env, overridesOf(settings));
      await deps.settings.write(settings);
      return state(settings);
    },
    exportTurnTrace: (params) => exportTurn(params),
    saveTurnTrace: async ({ conversationId, turnId, path: target }) => {
      const document = await exportTurn({ conversationId, turnId });
      const file = await resolvePath(target);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
      return { path: file };
    },
    openTraceFile: async ({ path: target }) => {
      const file = await resolvePath(target);
      const value = await readJsonFile(file, MAX_TRACE_FILE_BYTES, 'the trace file');
      if (value === undefined) throw new StudioError('not_found', `no such file: ${file}`);
      if (typeof value !== 'object' || value === null || !Array.isArray((value as { resourceSpans?: unknown }).resourceSpans)) {
        throw new StudioError('bad_request', `${file} is not an OTLP/JSON trace (no resourceSpans)`);
      }
      return value as OtlpTraceDocument;
    },
  };

  async function exportTurn({ conversationId, turnId }: { conversationId: string; turnId: string }): Promise<OtlpTraceDocument> {
    const { runtime } = await deps.chat.project();
    const serviceName = deps.telemetry.current()?.config.serviceName ?? (await deps.settings.read()).serviceName;
    return turnDocument(runtime.trace(conversationId), turnId, runtime.telemetryScope(conversationId), serviceName);
  }

  async function resolvePath(target: string): Promise<string> {
    return path.isAbsolute(target) ? target : path.resolve(await deps.projectRoot(), target);
  }
}
