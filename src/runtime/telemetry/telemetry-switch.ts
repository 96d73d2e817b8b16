import { Telemetry, type TelemetryOptions } from './telemetry';
import { telemetryConfig, telemetryWanted, TelemetryConfigError, type TelemetryOverrides } from './config';
import { StudioError } from '../../shared/api';

/**
 * The runner's current telemetry, replaceable while it runs (the studio's settings change it): each
 * turn asks for it once, so a change applies from the next turn on and never halfway through one.
 */
export class TelemetrySwitch {
  private telemetry: Telemetry | null;

  constructor(
    initial: Telemetry | null = null,
    private readonly options: TelemetryOptions = {},
  ) {
    this.telemetry = initial;
  }

  readonly current = (): Telemetry | null => this.telemetry;

  /** Builds telemetry from the environment and `overrides` (off when they set no endpoint), and uses it from now on. */
  async configure(env: Record<string, string | undefined>, overrides: TelemetryOverrides): Promise<Telemetry | null> {
    let next: Telemetry | null;
    try {
      const config = telemetryConfig(env, overrides);
      next = telemetryWanted(config) ? new Telemetry(config, this.options) : null;
    } catch (error) {
      if (error instanceof TelemetryConfigError) throw new StudioError('bad_request', error.message);
      throw error;
    }
    const previous = this.telemetry;
    this.telemetry = next;
    await previous?.shutdown().catch(() => undefined);
    return next;
  }

  async shutdown(): Promise<void> {
    await this.telemetry?.shutdown().catch(() => undefined);
    this.telemetry = null;
  }
}
