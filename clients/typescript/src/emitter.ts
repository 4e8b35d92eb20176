/** A small typed event emitter; works the same in browsers and Node. */
export class Emitter<Events extends { [K in keyof Events]: (payload: any) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once. */
  once<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    const wrapped = ((payload: unknown) => {
      off();
      (listener as (p: unknown) => void)(payload);
    }) as Events[K];
    const off = this.on(event, wrapped);
    return off;
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Calls every listener of `event`; returns whether there was one. A throwing listener is reported by `onListenerError`. */
  protected emit<K extends keyof Events>(event: K, payload: Parameters<Events[K]>[0]): boolean {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const l of [...set]) {
      try {
        (l as (p: unknown) => void)(payload);
      } catch (e) {
        this.onListenerError(event, e);
      }
    }
    return true;
  }

  protected listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Called when a listener throws; by default nothing, so one bad listener cannot stop the others. */
  protected onListenerError(_event: keyof Events, _error: unknown): void {}
}
