/** What the machine behind the UI offers (native dialogs, a file manager), asked once per window. */
import { useEffect, useState } from 'react';
import type { HostInfo } from '../../../shared/api';
import { studio } from '../api/studio';

let cached: Promise<HostInfo> | null = null;

export function hostInfo(): Promise<HostInfo> {
  cached ??= studio.hostInfo({}).catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** Null until known; until then the UI offers the path fields that work everywhere. */
export function useHostInfo(): HostInfo | null {
  const [info, setInfo] = useState<HostInfo | null>(null);
  useEffect(() => {
    let live = true;
    hostInfo().then(
      (value) => live && setInfo(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return info;
}
