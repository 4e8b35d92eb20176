import { backoffDelay } from './backoff.js';
import { RavenpostError, isAuthFailure, toError } from './errors.js';
import type { ClientState, DisconnectedEvent, Emit } from './events.js';
import type { ReconnectSettings } from './options.js';
import type { KickReason } from './types.js';

/** What the reconnect loop needs from the client. */
export interface ReconnectHost {
  state(): ClientState;
  /** Marks the client as between connections. */
  setReconnecting(): void;
  /** One attempt: token, socket, login, then catching up. */
  establish(): Promise<void>;
  /** Ends the client for good. */
  finish(): void;
  /** Whether a fresh token can be had for the next login. */
  hasTokenProvider(): boolean;
  emit: Emit;
}

/**
 * What happens after a logged-in connection closes: the client ends (reconnecting is off, or a
 * kick says not to come back), or logs in again after a backoff, attempt after attempt.
 */
export class Reconnector {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly opts: ReconnectSettings,
    private readonly host: ReconnectHost,
  ) {}

  /** Logged in: the next drop starts counting attempts from the first again. */
  reset(): void {
    this.attempt = 0;
  }

  /** Cancels a scheduled attempt. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The connection of a logged-in client closed with `code`, after a kick of reason `kicked` if one came. */
  dropped(code: number, reason: string, kicked: KickReason | undefined): void {
    const stop = !this.opts.enabled || (kicked !== undefined && this.opts.stopOn.includes(kicked));
    const ev: DisconnectedEvent = { code, reason, willReconnect: !stop };
    if (kicked !== undefined) ev.kicked = kicked;
    if (stop) {
      this.host.finish();
      this.host.emit('disconnected', ev);
      return;
    }
    this.host.setReconnecting();
    this.host.emit('disconnected', ev);
    this.schedule();
  }

  private schedule(): void {
    if (this.host.state() !== 'reconnecting') return;
    const max = this.opts.maxAttempts;
    if (max !== undefined && this.attempt >= max) {
      this.host.emit('error', new RavenpostError('DISCONNECTED', `gave up reconnecting after ${this.attempt} attempts`));
      this.host.finish();
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.opts);
    this.attempt++;
    this.host.emit('reconnecting', { attempt: this.attempt, delayMs });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.host.state() !== 'reconnecting') return;
      this.host.establish().catch((e) => {
        if (this.host.state() === 'closed') return;
        const err = toError(e);
        this.host.emit('error', err);
        if (this.host.state() === 'open') {
          // Logged in after all (the failure came later): nothing to retry.
          return;
        }
        this.host.setReconnecting();
        if (err instanceof RavenpostError && isAuthFailure(err.code) && !this.host.hasTokenProvider()) {
          // The same token will be refused again: end here and let the app log in anew.
          this.host.finish();
          return;
        }
        this.schedule();
      });
    }, delayMs);
  }
}
