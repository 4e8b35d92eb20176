import type { RavenpostError } from './errors.js';
import type { WebSocketLike } from './options.js';

/** What the heartbeat needs from the client. */
export interface HeartbeatHost {
  /** Whether the client is logged in now. */
  isOpen(): boolean;
  /** The current socket, to tell whether the link changed while a heartbeat was out. */
  socket(): WebSocketLike | null;
  /** Sends one heartbeat. */
  beat(): Promise<unknown>;
  /** The heartbeat sent on `socket`, still the current one, went unanswered. */
  unanswered(socket: WebSocketLike): void;
}

/** Sends a heartbeat every `intervalMs` while logged in, one at a time. */
export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight = false;

  constructor(
    private readonly intervalMs: number,
    private readonly host: HeartbeatHost,
  ) {}

  start(): void {
    this.stop();
    if (!(this.intervalMs > 0)) return;
    this.timer = setInterval(() => {
      if (!this.host.isOpen() || this.inFlight) return;
      this.inFlight = true;
      const socket = this.host.socket();
      this.host
        .beat()
        .catch((e: RavenpostError) => {
          if (e.code === 'TIMEOUT' && socket && socket === this.host.socket()) {
            // A link that does not answer a heartbeat is dead even if no close came: start over.
            this.host.unanswered(socket);
          }
        })
        .finally(() => {
          this.inFlight = false;
        });
    }, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.inFlight = false;
  }
}
