import type { Handlers } from '../../shared/api/define';
import type { telemetryMethods, TelemetrySettings, TelemetryState } from '../../shared/api/telemetry';
import type { ChatHost } from '../chat/chat-host';
import type { TelemetrySettingsStore } from './settings-store';
import type { TelemetrySwitch } from './telemetry-switch';
import { turnDocument } from './turn-document';

export interface TelemetryHandlerDeps {
  chat: ChatHost;
  telemetry: TelemetrySwitch;
  settings: TelemetrySettingsStore;
  env: Record<string, string | undefined>;
}

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
    exportTurnTrace: async ({ conversationId, turnId }) => {
      const { runtime } = await deps.chat.project();
      const settings = await deps.settings.read();
      return turnDocument(runtime.trace(conversationId), turnId, runtime.telemetryScope(conversationId), deps.telemetry.current()?.config.serviceName ?? settings.serviceName);
    },
  };
}
