/**
 * Error codes a Ravenpost server answers with (PROTOCOL.md, "Error codes"), plus the three the
 * server also uses on some paths (FORBIDDEN, IN_FLIGHT, IDEMPOTENCY_MISMATCH).
 */
export const SERVER_ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_OP',
  'NOT_AUTHENTICATED',
  'AUTH_INVALID',
  'AUTH_EXPIRED',
  'LOGIN_CONFLICT',
  'NOT_FOUND',
  'MAIL_EXPIRED',
  'ALREADY_CLAIMED',
  'NO_ATTACHMENTS',
  'HAS_UNCLAIMED',
  'RATE_LIMITED',
  'TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
  'FORBIDDEN',
  'IN_FLIGHT',
  'IDEMPOTENCY_MISMATCH',
] as const;

/** A code the server sends in `{ok: false, error: {code, message}}`. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/**
 * Codes this client raises itself, never sent by a server:
 * - `TIMEOUT`: no reply within the request's timeout (the op may still have happened);
 * - `DISCONNECTED`: the connection closed while the request was in flight (it may have happened);
 * - `CLOSED`: the client was closed (by `close()`, or for good after a kick), so nothing was sent.
 */
export const CLIENT_ERROR_CODES = ['TIMEOUT', 'DISCONNECTED', 'CLOSED'] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type ErrorCode = ServerErrorCode | ClientErrorCode;

const SERVER_CODES: ReadonlySet<string> = new Set(SERVER_ERROR_CODES);

export function isServerErrorCode(code: string): code is ServerErrorCode {
  return SERVER_CODES.has(code);
}

/** Codes after which the same request may succeed if sent again later. */
const RETRYABLE: ReadonlySet<string> = new Set(['LOGIN_CONFLICT', 'RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED']);

/**
 * Every failure of an op rejects with one of these. `code` is the server's code as sent (a newer
 * server may add codes: compare against the ones you handle and treat others as a failure),
 * or one of the client's own (TIMEOUT, DISCONNECTED, CLOSED).
 */
export class RavenpostError extends Error {
  readonly code: ErrorCode;
  /** The op that failed, when the error answers a request. */
  readonly op?: string;
  /** For INTERNAL errors, the id the server logged the failure under (quote it in a report). */
  readonly requestId?: string;

  constructor(code: ErrorCode, message: string, extra?: { op?: string; requestId?: string }) {
    super(message);
    this.name = 'RavenpostError';
    this.code = code;
    if (extra?.op !== undefined) this.op = extra.op;
    if (extra?.requestId !== undefined) this.requestId = extra.requestId;
  }

  /** True when sending the same request again later can succeed (the server or the link was busy or down). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** The error a server frame carries, as a {@link RavenpostError}; `op` is the request it answers, if any. */
export function serverError(e: { code: string; message?: string; requestId?: string }, op: string | undefined): RavenpostError {
  const extra: { op?: string; requestId?: string } = {};
  if (op !== undefined) extra.op = op;
  if (typeof e.requestId === 'string') extra.requestId = e.requestId;
  return new RavenpostError(String(e.code) as ErrorCode, e.message ?? String(e.code), extra);
}

/** Codes that say the token itself was refused. */
export function isAuthFailure(code: ErrorCode): boolean {
  return code === 'AUTH_INVALID' || code === 'AUTH_EXPIRED';
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
