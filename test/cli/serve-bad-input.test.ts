// Bad input sent to `logmedic serve`: a truncated compressed upload is the sender's error
// (400, not 500), and its message names what was sent, never the server's copy of it.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { serve, world } from '../serve/_world.js';

test('a truncated .gz upload: 400 with the uploaded name, the copy in the state dir unnamed', async (t) => {
  const w = world();
  const server = await serve(w);
  try {
    const session = await (await fetch(`${server.url}/api/session`)).json();
    const gz = gzipSync(readFileSync(w.log));
    const r = await fetch(`${server.url}/api/upload?name=rotated.log.gz`, {
      method: 'POST',
      headers: { origin: server.url, 'x-csrf-token': session.csrf, 'content-type': 'application/octet-stream' },
      body: gz.subarray(0, gz.length >> 1),
    });
    const body = await r.json();
    t.is(r.status, 400, JSON.stringify(body));
    t.is(body.code, 'E_TRUNCATED');
    t.regex(body.error, /^truncated input \(.*\) \(path: upload:rotated\.log\.gz\)$/);
    t.notRegex(body.error, /uploads|\.upload\b/, 'the server-side copy is not named');
  } finally {
    await server.close();
  }
});
