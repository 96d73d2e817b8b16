import type { ComponentType } from 'react';
import { BundleWorkspace } from '../bundle/BundleWorkspace';
import { NatsWorkspace } from '../nats/NatsWorkspace';
import { PackWorkspace } from '../pack/PackWorkspace';
import type { Workspace } from '../store/ui-store';

export interface WorkspaceEntry {
  id: Exclude<Workspace, 'flows'>;
  label: string;
  /** Shortcut hint shown in the tab's title. */
  title: string;
  /** Fills the area the flow editor's three panels use. */
  component: ComponentType;
}

/** The workspaces beside the flow editor, in tab order. Each feature adds its own entry. */
export const EXTRA_WORKSPACES: WorkspaceEntry[] = [
  { id: 'pack', label: 'Pack', title: 'Inspect a .gtpack: flows, components, assets, SBOM and signatures', component: PackWorkspace },
  { id: 'bundle', label: 'Bundle', title: 'Check a deployment bundle: packs, tenants, teams, access rules and bindings', component: BundleWorkspace },
  { id: 'nats', label: 'NATS', title: 'Connect to a NATS server, watch the Greentic traffic, serve this project', component: NatsWorkspace },
];
