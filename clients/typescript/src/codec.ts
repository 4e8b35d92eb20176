import { Decoder, Encoder } from '@msgpack/msgpack';
import type { Encoding, RequestFrame, ServerFrame } from './types.js';

// Optional fields left undefined are omitted, as JSON.stringify does, rather than sent as nil.
const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder();

/**
 * One request frame as a WebSocket message: JSON text, or msgpack of the same shape as a binary
 * message (the server answers in the encoding of the request).
 */
export function encodeFrame(frame: RequestFrame, encoding: Encoding): string | Uint8Array {
  return encoding === 'msgpack' ? encoder.encode(frame) : JSON.stringify(frame);
}

/**
 * One message from the server as a frame: text is JSON, binary is msgpack. Binary data may come
 * as an ArrayBuffer (browsers, `binaryType = 'arraybuffer'`), or as a view on one (a Node Buffer,
 * or an array of fragments from the `ws` package). Throws on anything that is not one object.
 */
export function decodeFrame(data: unknown): ServerFrame {
  let value: unknown;
  if (typeof data === 'string') {
    value = JSON.parse(data);
  } else if (data instanceof ArrayBuffer) {
    value = decoder.decode(new Uint8Array(data));
  } else if (ArrayBuffer.isView(data)) {
    value = decoder.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } else if (Array.isArray(data) && data.every((d) => ArrayBuffer.isView(d))) {
    value = decoder.decode(concat(data as ArrayBufferView[]));
  } else {
    throw new TypeError(`cannot decode a message of type ${describe(data)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('a frame must be an object');
  }
  return value as ServerFrame;
}

function concat(parts: ArrayBufferView[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
