import type { StudioEventName, StudioEvents } from '../shared/api';

export type AnyEventListener = <E extends StudioEventName>(name: E, payload: StudioEvents[E]) => void;

/** The back end's outgoing events; each transport subscribes once and forwards to its clients. */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends StudioEventName>(name: E, payload: StudioEvents[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken subscriber (a closed socket, say) must not keep the event from the others.
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
