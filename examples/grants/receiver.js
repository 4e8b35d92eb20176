// A game server's grant webhook for Ravenpost, in plain Node (no framework):
//   PORT=8080 RAVEN_GRANTS_WEBHOOK_SECRET=... node receiver.js
// Checks Ravenpost-Signature, applies each grant once, and answers 204 so Ravenpost stops resending.
const http = require('node:http');
const crypto = require('node:crypto');

const secret = process.env.RAVEN_GRANTS_WEBHOOK_SECRET;
const applied = new Set(); // in a real game: a table written in the same transaction as the items

function signedBy(header, body) {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header || '') || [];
  if (!v1 || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false; // refuse replays of old requests
  const want = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(v1), Buffer.from(want));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (!signedBy(req.headers['ravenpost-signature'], body)) return res.writeHead(401).end();
    for (const g of JSON.parse(body).grants) {
      if (applied.has(g.grantId)) continue; // a repeat: already given
      applied.add(g.grantId);
      console.log(JSON.stringify({ applied: g.grantId, attachments: g.attachments })); // give the items here
    }
    res.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT || 8080), '127.0.0.1',
  () => console.log(JSON.stringify({ listening: server.address().port })));
