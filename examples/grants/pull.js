// A game server pulling grants from Ravenpost, in plain Node 18+ (no framework):
//   RAVEN_URL=http://127.0.0.1:7180 RAVEN_SERVICE_TOKEN=<service JWT> node pull.js
// Each pull leases what it gets for 60 s; a grant not acknowledged by then is offered again.
const base = process.env.RAVEN_URL || 'http://127.0.0.1:7180';
const headers = { authorization: `Bearer ${process.env.RAVEN_SERVICE_TOKEN}`, 'content-type': 'application/json' };
const applied = new Set(); // in a real game: a table written in the same transaction as the items

async function pullForever() {
  for (;;) {
    const r = await fetch(`${base}/internal/grants?limit=100&waitMs=30000&leaseSeconds=60`, { headers })
      .catch((e) => ({ ok: false, status: e.message }));
    if (!r.ok) {
      console.error(JSON.stringify({ pullFailed: r.status }));
      await new Promise((wake) => setTimeout(wake, 1000));
      continue;
    }
    const { grants } = await r.json();
    for (const g of grants) {
      if (applied.has(g.grantId)) continue; // a repeat: already given
      applied.add(g.grantId);
      console.log(JSON.stringify({ applied: g.grantId, attachments: g.attachments })); // give the items here
    }
    if (grants.length > 0) {
      await fetch(`${base}/internal/grants/ack`, {
        method: 'POST', headers, body: JSON.stringify({ grantIds: grants.map((g) => g.grantId) }),
      }).catch(() => {}); // unacknowledged grants come back when their lease ends: applied once anyway
    }
  }
}

pullForever();
