import { useMemo } from 'react';
import type { ComponentEntry } from '../../../shared/api';
import { useProject } from '../store/project-store';
import { catalogComponents, type CatalogComponent } from './components';

const NONE: ComponentEntry[] = [];

/** The open project's components with their operations, from manifests and `describe()`. */
export function useCatalogComponents(): CatalogComponent[] {
  const manifests = useProject((state) => state.project?.components ?? NONE);
  const described = useProject((state) => state.described);
  return useMemo(() => catalogComponents(manifests, described), [manifests, described]);
}
