// The built package in a real browser (Debian's Chromium through playwright-core), against a
// real node: loaded as ES modules with an import map, no bundler, with the browser's own
// WebSocket. Skipped when no Chromium is installed (CHROMIUM_PATH, else /usr/bin/chromium).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RavenNode, packageDir, randomUid } from './helpers/node.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
  { "imports": {
      "ravenpost-client": "/dist/index.js",
      "@msgpack/msgpack": "/node_modules/@msgpack/msgpack/dist.esm/index.mjs" } }
</script>
<script type="module">
  import * as ravenpost from 'ravenpost-client';
  window.ravenpost = ravenpost;
  window.loaded = true;
</script>`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

/** Serves the page, dist/ and @msgpack/msgpack's ES modules, nothing else. */
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      return;
    }
    const file = path.join(packageDir, path.normalize(url.pathname));
    const allowed = [path.join(packageDir, 'dist') + path.sep, path.join(packageDir, 'node_modules', '@msgpack') + path.sep];
    if (!allowed.some((dir) => file.startsWith(dir)) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('in a browser', { skip }, () => {
  const node = new RavenNode();
  let server;
  let browser;
  let page;

  before(async () => {
    const { chromium } = await import('playwright-core');
    [server] = await Promise.all([serve(), node.start()]);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.loaded === true, null, { timeout: 10_000 }).catch((e) => {
      throw new Error(`the package did not load in the page: ${errors.join('; ') || e.message}`);
    });
  }, { timeout: 150_000 });

  after(async () => {
    await browser?.close();
    server?.close();
    await node.stop();
  }, { timeout: 60_000 });

  for (const encoding of ['json', 'msgpack']) {
    it(`logs in with the browser's WebSocket, gets a push, and claims (${encoding})`, async () => {
      const uid = randomUid();
      const token = node.playerToken(uid);
      const title = `to the browser ${uid}`;
      await page.evaluate(async ({ url, token, encoding, title }) => {
        const client = await window.ravenpost.connect({ url, token, encoding, heartbeatMs: 1000 });
        window.client = client;
        window.pushed = new Promise((resolve) => client.on('mail.new', (e) => e.mail.title === title && resolve(e)));
      }, { url: node.wsUrl, token, encoding, title });
      const { mailIds: [mailId] } = await node.sendMail([uid], { title, body: 'hello browser', attachments: [{ type: 'item', id: 'map', amount: 1 }] });
      const out = await page.evaluate(async (mailId) => {
        const client = window.client;
        const push = await window.pushed;
        const opened = await client.mail.open(mailId);
        const claimed = await client.mail.claim(mailId);
        let code;
        try {
          await client.mail.claim(mailId);
        } catch (e) {
          code = `${e.name}:${e.code}`;
        }
        await new Promise((r) => setTimeout(r, 1500)); // a heartbeat or so
        const hb = await client.heartbeat();
        const state = client.state;
        await client.close();
        return { pushId: push.mail.mailId, body: opened.mail.body, claimed, code, hb: typeof hb.serverTime, state, after: client.state };
      }, mailId);
      assert.deepEqual(out, {
        pushId: mailId,
        body: 'hello browser',
        claimed: { attachments: [{ type: 'item', id: 'map', amount: 1 }] },
        code: 'RavenpostError:ALREADY_CLAIMED',
        hb: 'number',
        state: 'open',
        after: 'closed',
      });
    });
  }
});
