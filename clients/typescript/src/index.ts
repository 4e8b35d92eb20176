export { Client, connect } from './client.js';
export type {
  ClientEvents,
  ClientState,
  ConnectedEvent,
  DisconnectedEvent,
  MailChangedEvent,
  ReconnectingEvent,
  ResyncEvent,
  SyncedEvent,
} from './events.js';
export type { ConnectOptions, ReconnectOptions, WebSocketConstructor, WebSocketLike } from './options.js';
export {
  RavenpostError,
  SERVER_ERROR_CODES,
  CLIENT_ERROR_CODES,
  isServerErrorCode,
} from './errors.js';
export type { ErrorCode, ServerErrorCode, ClientErrorCode } from './errors.js';
export { backoffDelay, backoffCeiling, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { encodeFrame, decodeFrame } from './codec.js';
export type * from './types.js';
