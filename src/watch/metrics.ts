// The watch's numbers in Prometheus text format (version 0.0.4), served on a loopback port by
// default: records by type, actions by result, bytes not yet read, circuit state.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsSnapshot {
  recordsByType: ReadonlyMap<string, number>;
  actionsByResult: ReadonlyMap<string, number>;
  /** Per followed file: bytes written but not read yet. */
  behind: ReadonlyMap<string, number>;
  bytesRead: number;
  files: number;
  /** Open circuits (action, target); absent when the recovery layer does not report any. */
  circuits: { action: string; target: string; open: boolean }[];
  checkpointSaves: number;
  startedAt: number;
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function renderMetrics(s: MetricsSnapshot): string {
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) out.push(`${name}${labels} ${v}`);
  };
  metric('logmedic_watch_records_total', 'counter', 'Failure records seen, by error type.', [...s.recordsByType].map(([t, n]) => [`{type="${label(t)}"}`, n]));
  metric('logmedic_watch_actions_total', 'counter', 'Recovery actions by result (ok, failed, skipped, dry-run, refused, unavailable...).', [...s.actionsByResult].map(([r, n]) => [`{result="${label(r)}"}`, n]));
  const behind = [...s.behind];
  metric('logmedic_watch_bytes_behind', 'gauge', 'Bytes written to a followed file and not read yet.', behind.map(([f, n]) => [`{file="${label(f)}"}`, n]));
  metric('logmedic_watch_bytes_behind_total', 'gauge', 'Bytes not read yet, all files.', [['', behind.reduce((a, [, n]) => a + n, 0)]]);
  metric('logmedic_watch_bytes_read_total', 'counter', 'Bytes read from followed files.', [['', s.bytesRead]]);
  metric('logmedic_watch_files', 'gauge', 'Files followed.', [['', s.files]]);
  metric('logmedic_watch_circuit_open', 'gauge', 'Circuit breaker per action and target: 1 open (no more attempts), 0 closed.', s.circuits.map((c) => [`{action="${label(c.action)}",target="${label(c.target)}"}`, c.open ? 1 : 0]));
  metric('logmedic_watch_checkpoints_total', 'counter', 'Checkpoints written.', [['', s.checkpointSaves]]);
  metric('logmedic_watch_start_time_seconds', 'gauge', 'When the watch started (Unix time).', [['', Math.floor(s.startedAt / 1000)]]);
  return out.join('\n') + '\n';
}

/** Serve `/metrics` on host:port (port 0 picks a free one); resolves with the bound address. */
export async function serveMetrics(host: string, port: number, snapshot: () => MetricsSnapshot): Promise<{ server: Server; address: AddressInfo }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics' && path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    const body = renderMetrics(snapshot());
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  server.unref();
  return { server, address: server.address() as AddressInfo };
}
