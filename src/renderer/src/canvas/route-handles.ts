/** The handle to drag from to add a route (existing route handles, `route-<n>`, retarget their route). */
export const NEW_ROUTE_HANDLE = 'new-route';

export function routeIndexOf(handle: string | null | undefined): number | null {
  const match = /^route-(\d+)$/.exec(handle ?? '');
  return match ? Number(match[1]) : null;
}
