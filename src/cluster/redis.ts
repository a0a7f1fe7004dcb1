// One way to reach Redis for the fleet policy and the cluster commands: a redis:// or
// rediss:// URL (password or ACL user in it), a short connect timeout, and no endless retries,
// so that an unreachable store is an answer within seconds rather than a hang.

import { Redis, type RedisOptions } from 'ioredis';
import { LogmedicError } from '../errors.js';

const CONNECT_TIMEOUT_MS = 3000;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connected, or rejects with why not, within the connect timeout even when the server accepts
 * the connection and never answers. `forQueue`: the options BullMQ needs for its blocking
 * commands (no per-request retry limit); otherwise commands fail fast while disconnected.
 * `commandTimeoutMs`: a command without an answer by then fails (the fleet policy's short
 * scripts), so that a hung server is an answer too.
 */
/**
 * The two connections a cluster client needs: `store` for its own commands (fails fast) and
 * `queue` for BullMQ (which retries). One line and E_IO when Redis cannot be reached.
 */
export async function connectClient(url: string): Promise<{ store: Redis; queue: Redis }> {
  try {
    const store = await connectRedis(url);
    return { store, queue: await connectRedis(url, { forQueue: true }) };
  } catch (err) {
    throw new LogmedicError('E_IO', `--cluster: ${(err as Error).message}`);
  }
}

export async function connectRedis(url: string, options: { forQueue?: boolean; commandTimeoutMs?: number } = {}): Promise<Redis> {
  const extra: RedisOptions = options.forQueue
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, reconnectOnError: () => false };
  if (options.commandTimeoutMs !== undefined) extra.commandTimeout = options.commandTimeoutMs;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, ...extra });
  // Errors are answered where a command fails; an unhandled 'error' event would only print.
  redis.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  // The socket's connect timeout ends at the TCP connection; the ready check after it can wait forever.
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([redis.connect(), silent]);
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach ${redactUrl(url)}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
