import { WasmComponentError } from './errors';
import type { ComponentManifest } from './manifest';
import type { TranspiledComponent } from './transpiled';

/** What a component may do with the host, decided at load time from its manifest (or its imports). */
export interface ComponentGrants {
  http: boolean;
  /** Secret keys it may read; null when it has no manifest to declare them (then every key may be read). */
  secrets: string[] | null;
  stateRead: boolean;
  stateWrite: boolean;
  /** Names of environment variables it declared (`capabilities.wasi.env.allow`). */
  env: string[];
}

export interface ComponentLimits {
  wallTimeMs: number;
  memoryLimitBytes: number;
}

/**
 * The studio's ceilings for one component call, which are also what a component without a manifest
 * gets: a manifest may ask for less, never for more. Fuel is not metered (V8 counts no
 * instructions); the wall-time ceiling is what bounds a component's CPU.
 */
export const DEFAULT_LIMITS: ComponentLimits = { wallTimeMs: 10_000, memoryLimitBytes: 256 * 1048576 };

const CAPABILITY_OF_IMPORT: Record<string, { name: string; declared(manifest: ComponentManifest): boolean }> = {
  'greentic:http/http-client': { name: 'host.http.client', declared: (m) => m.capabilities?.host?.http?.client === true },
  'greentic:secrets-store/secrets-store': { name: 'host.secrets', declared: (m) => m.capabilities?.host?.secrets !== undefined },
  'greentic:state/state-store': {
    name: 'host.state',
    declared: (m) => m.capabilities?.host?.state?.read === true || m.capabilities?.host?.state?.write === true,
  },
  'greentic:telemetry/logger-api': { name: 'host.telemetry', declared: (m) => m.capabilities?.host?.telemetry !== undefined },
};

/**
 * Grants from the manifest; refuses to link a component that imports a host interface whose capability
 * its manifest does not declare. A component without a manifest is granted what it imports.
 */
export function grantsFor(component: TranspiledComponent, manifest: ComponentManifest | null): ComponentGrants {
  if (!manifest) {
    const imports = new Set(component.imports);
    return {
      http: imports.has('greentic:http/http-client'),
      secrets: null,
      stateRead: imports.has('greentic:state/state-store'),
      stateWrite: imports.has('greentic:state/state-store'),
      env: [],
    };
  }
  const undeclared = component.imports.flatMap((name) => {
    const capability = CAPABILITY_OF_IMPORT[name];
    return capability && !capability.declared(manifest) ? [`${name} (needs ${capability.name})`] : [];
  });
  if (undeclared.length > 0) {
    throw new WasmComponentError('missing_imports', `component ${manifest.id} imports host interfaces its manifest does not declare: ${undeclared.join(', ')}`);
  }
  const host = manifest.capabilities?.host;
  return {
    http: host?.http?.client === true,
    secrets: (host?.secrets?.required ?? []).map((requirement) => requirement.key),
    stateRead: host?.state?.read === true,
    stateWrite: host?.state?.write === true,
    env: manifest.capabilities?.wasi?.env?.allow ?? [],
  };
}

/** What the manifest asks for (`limits.wall_time_ms`, `limits.memory_mb`), capped by `caps`; `caps` when it asks nothing. */
export function limitsFor(manifest: ComponentManifest | null, caps: ComponentLimits = DEFAULT_LIMITS): ComponentLimits {
  const asked = manifest?.limits;
  return {
    wallTimeMs: Math.ceil(Math.min(asked?.wall_time_ms ?? Infinity, caps.wallTimeMs)),
    memoryLimitBytes: Math.ceil(Math.min(asked?.memory_mb !== undefined ? asked.memory_mb * 1048576 : Infinity, caps.memoryLimitBytes)),
  };
}
