import path from 'node:path';
import { StudioError } from '../../shared/api';
import { DEFAULT_TELEMETRY_SETTINGS, telemetrySettingsSchema, type TelemetrySettings } from '../../shared/api/telemetry';
import { readJsonFile, writeJsonFile } from '../connections/json-file';

const FILE = 'telemetry.json';
const MAX_BYTES = 64 * 1024;

/** The studio's telemetry settings, a file in its config folder. */
export class TelemetrySettingsStore {
  private readonly file: string;

  constructor(configDir: string) {
    this.file = path.join(configDir, FILE);
  }

  async read(): Promise<TelemetrySettings> {
    const value = await readJsonFile(this.file, MAX_BYTES, 'the telemetry settings file');
    if (value === undefined) return { ...DEFAULT_TELEMETRY_SETTINGS };
    const parsed = telemetrySettingsSchema.safeParse({ ...DEFAULT_TELEMETRY_SETTINGS, ...(value as object) });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
      throw new StudioError('io_error', `the telemetry settings file ${this.file} is not valid: ${problems}`);
    }
    return parsed.data;
  }

  async write(settings: TelemetrySettings): Promise<void> {
    await writeJsonFile(this.file, settings);
  }
}
