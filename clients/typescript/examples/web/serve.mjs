// A static server for the sample web mailbox, with nothing but Node: this folder at /, the SDK's
// compiled ES modules (dist/, from `npm run build`) at /dist/, and @msgpack/msgpack's browser
// ES modules at /node_modules/@msgpack/msgpack/dist.esm/. Nothing else is served.
//
//   npm run build && node examples/web/serve.mjs [--port 8080] [--host 127.0.0.1]
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '../..');

/** URL prefix → folder it serves. */
const ROOTS = [
  ['/dist/', path.join(pkg, 'dist')],
  ['/node_modules/@msgpack/msgpack/dist.esm/', path.join(pkg, 'node_modules/@msgpack/msgpack/dist.esm')],
  ['/', here],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** The file a URL path names, or null when it is outside the served folders. */
function fileFor(urlPath) {
  const clean = path.posix.normalize(decodeURIComponent(urlPath));
  for (const [prefix, dir] of ROOTS) {
    if (!clean.startsWith(prefix)) continue;
    const file = path.join(dir, clean.slice(prefix.length) || 'index.html');
    return file.startsWith(dir + path.sep) ? file : null;
  }
  return null;
}

/** An http.Server for the sample (not listening yet). */
export function createServer() {
  return http.createServer((req, res) => {
    let file = null;
    try {
      file = fileFor(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      // a malformed escape in the URL: answered as not found
    }
    const type = file && TYPES[path.extname(file)];
    let found = false;
    try {
      found = Boolean(type) && (req.method === 'GET' || req.method === 'HEAD') && statSync(file).isFile();
    } catch {
      // no such file
    }
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const host = option('host', '127.0.0.1');
  const port = Number(option('port', process.env.PORT ?? 8080));
  if (!existsSync(path.join(pkg, 'dist/index.js'))) console.warn('dist/ is missing: run npm run build first');
  createServer().listen(port, host, () => {
    console.log(`the sample web mailbox: http://${host}:${port}/ (Ctrl-C stops it)`);
  });
}
