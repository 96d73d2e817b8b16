import { useEffect, useState, type FormEvent } from 'react';
import type { TelemetrySettings, TelemetryState } from '../../../shared/api';
import { studio } from '../api/studio';

/** The embedded runner's export to an OpenTelemetry collector: off until enabled with an endpoint. */
export function TelemetrySettingsForm() {
  const [state, setState] = useState<TelemetryState | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    studio.getTelemetry({}).then(setState, (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
  }, []);

  async function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const settings: TelemetrySettings = {
      enabled: form.get('enabled') === 'on',
      endpoint: String(form.get('endpoint') ?? '').trim(),
      protocol: form.get('protocol') === 'http/json' ? 'http/json' : 'http/protobuf',
      serviceName: String(form.get('serviceName') ?? '').trim() || 'greentic-studio',
    };
    setError(null);
    try {
      setState(await studio.setTelemetrySettings(settings));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  if (!state) return error ? <p className="trace-error">{error}</p> : null;
  const { settings, status } = state;
  return (
    <details className="telemetry-settings">
      <summary>Export to an OpenTelemetry collector</summary>
      <form onSubmit={(event) => void apply(event)} aria-label="Telemetry settings" key={JSON.stringify(settings)}>
        <label>
          <input type="checkbox" name="enabled" defaultChecked={settings.enabled} /> Export traces and metrics
        </label>
        <label>
          Endpoint <input name="endpoint" defaultValue={settings.endpoint} placeholder="http://localhost:4318" size={30} />
        </label>
        <label>
          Protocol{' '}
          <select name="protocol" defaultValue={settings.protocol}>
            <option value="http/protobuf">http/protobuf</option>
            <option value="http/json">http/json</option>
          </select>
        </label>
        <label>
          Service name <input name="serviceName" defaultValue={settings.serviceName} size={20} />
        </label>
        <button type="submit">Apply</button>
      </form>
      <p className="muted" data-testid="telemetry-status">
        {status?.traces
          ? `Traces go to ${status.traces}: ${status.spansExported} spans exported, ${status.spansDropped} dropped${status.lastError ? ` (${status.lastError})` : ''}.`
          : 'Nothing is exported.'}
      </p>
      {error && (
        <p className="trace-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
