// The sample web mailbox (examples/web) in headless Chromium, served by its own serve.mjs, against
// a real node reached through a TCP relay the test can cut. A player signs in, sees mail arrive,
// opens one by keyboard, claims it, deletes another; then the link drops, and while the page is
// away an operator sends a mail and recalls one. Once the page is back it must show exactly what
// mail.list and mail.unread answer on its own session. Screenshots go to the repository's
// target/web-screenshots/. Skipped when there is no Chromium at CHROMIUM_PATH (default
// /usr/bin/chromium).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../examples/web/serve.mjs';
import { RavenNode, Relay, packageDir, randomUid, until } from './helpers/node.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;
const SHOTS = path.resolve(packageDir, '../../target/web-screenshots');

describe('the sample web mailbox', { skip }, () => {
  const node = new RavenNode();
  const errors = [];
  let server;
  let relay;
  let browser;
  let page;

  before(async () => {
    const { chromium } = await import('playwright-core');
    server = createServer();
    await Promise.all([new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)), node.start()]);
    relay = await new Relay(node.wsPort).listen();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    page.on('pageerror', (e) => errors.push(e.message));
    mkdirSync(SHOTS, { recursive: true });
  }, { timeout: 150_000 });

  after(async () => {
    await browser?.close();
    server?.close();
    await relay?.close();
    await node.stop();
  }, { timeout: 60_000 });

  const rowOf = (mailId) => page.locator(`#mails [data-mail-id="${mailId}"]`);
  const connection = (state) => page.locator(`#connection[data-state="${state}"]`);
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  /** What the page shows, and what mail.list and mail.unread answer on the page's own session. */
  function compare() {
    return page.evaluate(async () => {
      const client = window.mailboxClient();
      const listed = [];
      let cursor = null;
      do {
        const p = await client.mail.list({ cursor, limit: 100 });
        listed.push(...p.mails);
        cursor = p.nextCursor;
      } while (cursor);
      const { unread } = await client.mail.unread();
      const shown = [...document.querySelectorAll('#mails [data-mail-id]')].map((b) => [
        Number(b.dataset.mailId),
        b.querySelector('.title').textContent,
        b.dataset.read === 'true',
        b.dataset.claimed === 'true',
        b.querySelector('.locale')?.textContent ?? null,
      ]);
      return {
        shown: { mails: shown, unread: Number(document.getElementById('unread').dataset.count) },
        listed: { mails: listed.map((m) => [m.mailId, m.title, m.read, m.claimed, m.locale ?? null]), unread },
      };
    });
  }

  it('shows mail live, claims and deletes, and after a reconnect shows what mail.list shows', { timeout: 120_000 }, async () => {
    const uid = randomUid();
    const gifts = [{ type: 'currency', id: 'gold', amount: 100 }, { type: 'item', id: 'sword', amount: 1 }];
    const { mailIds: [welcome] } = await node.sendMail([uid], { title: 'Welcome to the realm', body: 'Glad to have you.' });

    await page.goto(`http://127.0.0.1:${server.address().port}/?test`);
    await page.getByLabel('Server').fill(relay.url());
    await page.getByLabel('Player token').fill(node.playerToken(uid));
    await page.getByLabel('Language').selectOption('pt-BR');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await connection('connected').waitFor();
    await rowOf(welcome).waitFor();

    // Mail an operator sends now arrives as a push and adds a row.
    const { mailIds: [reward] } = await node.sendMail([uid], { title: 'Daily reward', body: 'For logging in today.\nSee you tomorrow!', attachments: gifts });
    const { mailIds: [pack] } = await node.sendMail([uid], { title: 'Event pack', body: 'Sent by mistake.', attachments: [gifts[1]] });
    await rowOf(pack).waitFor();
    assert.equal(await rowOf(reward).getAttribute('data-read'), 'false');

    // Open by keyboard: the focus moves to the mail's title.
    await rowOf(reward).focus();
    await page.keyboard.press('Enter');
    await page.locator('#detail-title', { hasText: 'Daily reward' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-title');
    assert.equal(await page.locator('#detail-body').innerText(), 'For logging in today.\nSee you tomorrow!');
    assert.deepEqual(await page.locator('#detail-attachments li').allInnerTexts(), ['100 × gold (currency)', '1 × sword (item)']);
    assert.equal(await page.getByRole('button', { name: 'Delete', exact: true }).isDisabled(), true, 'no delete while attachments wait');

    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.locator('#notice', { hasText: 'Claimed 100 × gold, 1 × sword.' }).waitFor();
    await page.locator(`#mails [data-mail-id="${reward}"][data-claimed="true"][data-read="true"]`).waitFor();
    // Escape closes the mail and gives the focus back to its row.
    await page.keyboard.press('Escape');
    await page.locator('#detail').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.mailId), String(reward));

    await rowOf(welcome).click();
    await page.locator('#detail-title', { hasText: 'Welcome to the realm' }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await rowOf(welcome).waitFor({ state: 'detached' });
    await page.locator('#notice', { hasText: 'Deleted “Welcome to the realm”.' }).waitFor();

    // The link drops. While the page is away, an operator sends one mail and recalls another.
    relay.block();
    await connection('reconnecting').waitFor();
    const { mailIds: [weekend] } = await node.sendMail([uid], { title: 'Weekend event', body: 'Double rewards all weekend.' });
    const recall = await node.admin('DELETE', `/admin/users/${uid}/mail/${pack}`);
    assert.equal(recall.status, 204, JSON.stringify(recall.body));
    await shot('web-mailbox-reconnecting');
    relay.unblock();

    await connection('connected').waitFor({ timeout: 40_000 });
    await rowOf(weekend).waitFor();
    await rowOf(pack).waitFor({ state: 'detached' });
    let last;
    await until(async () => {
      last = await compare();
      return JSON.stringify(last.shown) === JSON.stringify(last.listed);
    }, 10_000, 'the page showing what mail.list shows').catch((e) => {
      if (!last) throw e; // no comparison at all; otherwise the assertion below shows the difference
    });
    assert.deepEqual(last.shown, last.listed);
    const ids = last.shown.mails.map(([id]) => id);
    assert.ok(ids.includes(weekend) && ids.includes(reward), `${weekend} and ${reward} in ${ids}`);
    assert.ok(!ids.includes(pack) && !ids.includes(welcome), `neither ${pack} nor ${welcome} in ${ids}`);

    // The claimed mail opened again: nothing left to claim, so it can be deleted now.
    await rowOf(reward).click();
    await page.locator('#detail-title', { hasText: 'Daily reward' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Claimed', exact: true }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Delete', exact: true }).isEnabled(), true);
    await shot('web-mailbox');
    assert.deepEqual(errors, []);
  });
});
