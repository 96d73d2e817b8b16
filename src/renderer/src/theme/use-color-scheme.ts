import { useSyncExternalStore } from 'react';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The OS colour scheme, live: the studio's dark and light themes follow it. */
export function useColorScheme(): 'dark' | 'light' {
  return useSyncExternalStore(
    (notify) => {
      const media = query();
      media.addEventListener('change', notify);
      return () => media.removeEventListener('change', notify);
    },
    () => (query().matches ? 'dark' : 'light'),
  );
}
