// Starts a real Ravenpost node for the tests (the jar Maven built at the repository root), on
// ports, a Redis prefix, a cluster name and secrets of its own, so that it never meets another
// node of this machine. Mints player and operator tokens (HS256, node's crypto) and sends mail
// through the admin HTTP API.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '../..');
const JAR = path.resolve(packageDir, '../../target/ravenpost.jar');
const LOG_DIR = path.join(packageDir, '.test-logs');

// The flags Hazelcast asks for (run.sh's JVM_FLAGS), and a small heap: the machine is shared.
const JVM_FLAGS = [
  '--add-modules', 'java.se',
  '--add-exports', 'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
  '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens', 'java.management/sun.management=ALL-UNNAMED',
  '--add-opens', 'jdk.management/com.sun.management.internal=ALL-UNNAMED',
];
const JAVA_OPTS = (process.env.RAVENPOST_TEST_JAVA_OPTS ?? '-Xms128m -Xmx512m -XX:+UseSerialGC').split(/\s+/).filter(Boolean);
const START_TIMEOUT_MS = 120_000;

// Nodes still running when this process exits (a crash, a failed before()) are killed with it.
const live = new Set();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const p of live) p.kill('SIGKILL');
    process.exit(130);
  });
}

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function secret() {
  return randomBytes(36).toString('base64url'); // 48 characters
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** A random uid no other test run uses: a positive int64 below 2^53, so it stays exact in JS. */
export function randomUid() {
  return String(randomInt(1_000_000_000, 2 ** 47));
}

function b64url(v) {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

/** An HS256 JWT: `claims` signed with `secretKey`. */
export function signJwt(claims, secretKey) {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url(claims);
  const sig = createHmac('sha256', secretKey).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/**
 * A running node. `start()` resolves once it printed `ravenpost node ... ready`; `stop()` sends
 * SIGTERM (a graceful stop: sessions are told SHUTDOWN); `restart()` starts it again with the
 * same ports, prefix and secrets.
 */
export class RavenNode {
  /** `env`: more RAVEN_* settings for this node (e.g. a faster expiry sweep). */
  constructor({ env = {} } = {}) {
    this.extraEnv = env;
    this.id = `sdk${randomBytes(4).toString('hex')}`;
    this.jwtSecret = secret();
    this.adminSecret = secret();
    this.proc = null;
    this.starts = 0;
  }

  /** Starts the node; resolves once it is ready. */
  start() {
    // A stop() that comes while this start is under way waits for it, so no node outlives the tests.
    this.starting = this.spawnNode().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async spawnNode() {
    if (!existsSync(JAR)) {
      throw new Error(`${JAR} is missing: build it first at the repository root with mvn -B -ntp -q -DskipTests package`);
    }
    for (const [what, port] of [['MariaDB', 3306], ['Redis', 6379]]) {
      if (!(await portOpen(port))) {
        throw new Error(`${what} does not answer on 127.0.0.1:${port}: run scripts/ensure-services.sh at the repository root`);
      }
    }
    if (!this.env) {
      const [ws, tcp, admin, cluster] = [await freePort(), await freePort(), await freePort(), await freePort()];
      this.wsPort = ws;
      this.adminPort = admin;
      this.env = {
        ...process.env,
        RAVEN_NODE_ID: this.id,
        RAVEN_GATE_HOST: '127.0.0.1',
        RAVEN_GATE_WS_PORT: String(ws),
        RAVEN_GATE_TCP_PORT: String(tcp),
        RAVEN_ADMIN_PORT: String(admin),
        RAVEN_CLUSTER_NAME: this.id,
        RAVEN_CLUSTER_PORT: String(cluster),
        RAVEN_CLUSTER_MEMBERS: `127.0.0.1:${cluster}`,
        RAVEN_REDIS_PREFIX: `${this.id}:`,
        RAVEN_MYSQL_URI: process.env.RAVENPOST_TEST_MYSQL_URI ?? 'mysql://ravenpost:ravenpost@127.0.0.1:3306/ravenpost_test',
        RAVEN_JWT_SECRET: this.jwtSecret,
        RAVEN_ADMIN_JWT_SECRET: this.adminSecret,
        // A graceful stop waits this long for requests under way before telling sessions SHUTDOWN.
        RAVEN_NODE_DRAIN_MS: '500',
        ...this.extraEnv,
      };
    }
    mkdirSync(LOG_DIR, { recursive: true });
    this.starts++;
    const logFile = path.join(LOG_DIR, `${this.id}-${this.starts}.log`);
    const log = createWriteStream(logFile);
    const proc = spawn('java', [...JVM_FLAGS, ...JAVA_OPTS, '-jar', JAR, 'node'], {
      cwd: packageDir,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    proc.stdout.pipe(log, { end: false });
    proc.stderr.pipe(log, { end: false });
    proc.once('exit', () => log.end());
    await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => fail(new Error(`node ${this.id} not ready within ${START_TIMEOUT_MS} ms (log: ${logFile})`)), START_TIMEOUT_MS);
      const onData = (chunk) => {
        seen = (seen + chunk.toString()).slice(-4096);
        if (/ravenpost node \S+ ready/.test(seen)) {
          clearTimeout(timer);
          proc.stdout.off('data', onData);
          proc.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code) => fail(new Error(`node ${this.id} exited with ${code} before it was ready (log: ${logFile})\n${seen}`));
      const fail = (e) => {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        proc.off('exit', onExit);
        proc.kill('SIGKILL');
        reject(e);
      };
      proc.stdout.on('data', onData);
      proc.once('exit', onExit);
    });
    return this;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 30_000) {
    if (this.starting) await this.starting.catch(() => {});
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.proc = null;
    await new Promise((resolve) => {
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.once('exit', () => { clearTimeout(t); resolve(); });
      proc.kill('SIGTERM');
    });
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.wsPort}/ws`;
  }

  get adminUrl() {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** A player token for `uid`, valid for `ttlS` seconds. */
  playerToken(uid, extra = {}, ttlS = 3600) {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ sub: String(uid), exp: now + ttlS, created_at: now - 86_400, ...extra }, this.jwtSecret);
  }

  adminToken() {
    const now = Math.floor(Date.now() / 1000);
    // An operator token's sub is a uid like a player's; the role makes it an admin.
    return signJwt({ sub: '1', role: 'admin', exp: now + 3600 }, this.adminSecret);
  }

  /** Calls the admin HTTP API; resolves with `{status, body}`. */
  async admin(method, route, body) {
    const res = await fetch(this.adminUrl + route, {
      method,
      headers: { Authorization: `Bearer ${this.adminToken()}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }

  /** Sends a system mail to `uids` through POST /admin/mail; resolves with the reply body (`{mailIds, sendId}`). */
  async sendMail(uids, { title = 'hello', body = 'from the tests', attachments } = {}) {
    const r = await this.admin('POST', '/admin/mail', {
      target: { type: 'users', uids: uids.map(String) },
      title,
      body,
      ...(attachments ? { attachments } : {}),
    });
    if (r.status !== 201) throw new Error(`POST /admin/mail answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async kick(uid) {
    const r = await this.admin('POST', `/admin/users/${uid}/kick`);
    if (r.status !== 204) throw new Error(`kick answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
}

/**
 * A TCP relay in front of the node: `cut()` drops every connection through it at once (the
 * client sees the link die without a close frame, as on a lost network), and `block()` /
 * `unblock()` refuse new connections meanwhile.
 */
export class Relay {
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.sockets = new Set();
    this.blocked = false;
    this.accepted = 0;
    this.server = net.createServer((client) => {
      if (this.blocked) {
        client.destroy();
        return;
      }
      this.accepted++;
      const upstream = net.connect({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  listen() {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      this.port = this.server.address().port;
      resolve(this);
    }));
  }

  url() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  cut() {
    for (const s of this.sockets) s.destroy();
  }

  block() {
    this.blocked = true;
    this.cut();
  }

  unblock() {
    this.blocked = false;
  }

  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves with the next `event` of `client` (its payload), or rejects after `ms`. */
export function nextEvent(client, event, ms = 10_000, filter = () => true) {
  const p = new Promise((resolve, reject) => {
    const t = setTimeout(() => { off(); reject(new Error(`no ${event} event within ${ms} ms`)); }, ms);
    const off = client.on(event, (e) => {
      if (!filter(e)) return;
      clearTimeout(t);
      off();
      resolve(e);
    });
  });
  // A test that fails before awaiting it must not leave an unhandled rejection behind.
  p.catch(() => {});
  return p;
}

/** Polls `fn` until it returns a truthy value, or throws after `ms`. */
export async function until(fn, ms = 10_000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
