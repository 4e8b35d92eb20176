/** How a client waits between reconnect attempts. */
export interface BackoffOptions {
  /** The shortest wait, and the base the ceiling grows from (default 500 ms). */
  minDelayMs?: number;
  /** The ceiling never grows past this (default 30 s). */
  maxDelayMs?: number;
  /** How much the ceiling grows per failed attempt (default 2). */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { minDelayMs: 500, maxDelayMs: 30_000, factor: 2 };

/**
 * The ceiling of attempt `attempt` (0 for the first retry after a drop):
 * `min(maxDelayMs, minDelayMs * factor^(attempt + 1))`, never below `minDelayMs`.
 */
export function backoffCeiling(attempt: number, opts: BackoffOptions = {}): number {
  const { minDelayMs, maxDelayMs, factor } = resolve(opts);
  const n = Math.max(0, Math.floor(attempt));
  // Grows from 1 ms when minDelayMs is 0. factor^(n+1) may overflow to Infinity: min() caps it.
  const grown = Math.max(minDelayMs, 1) * Math.pow(factor, n + 1);
  return Math.max(minDelayMs, Math.min(maxDelayMs, Number.isFinite(grown) ? grown : maxDelayMs));
}

/**
 * Exponential backoff with full jitter: a uniformly random wait between `minDelayMs` and the
 * attempt's ceiling, so that the clients of a node that went down spread their returns over the
 * whole window instead of arriving together. `random` returns a number in [0, 1).
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const { minDelayMs } = resolve(opts);
  const ceiling = backoffCeiling(attempt, opts);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(minDelayMs + r * (ceiling - minDelayMs));
}

function resolve(opts: BackoffOptions): Required<BackoffOptions> {
  const minDelayMs = Math.max(0, opts.minDelayMs ?? DEFAULT_BACKOFF.minDelayMs);
  const maxDelayMs = Math.max(minDelayMs, opts.maxDelayMs ?? Math.max(DEFAULT_BACKOFF.maxDelayMs, minDelayMs));
  const factor = Math.max(1, opts.factor ?? DEFAULT_BACKOFF.factor);
  return { minDelayMs, maxDelayMs, factor };
}
