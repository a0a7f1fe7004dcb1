// One way to reach Redis for the fleet policy and the cluster commands: a redis:// or
// rediss:// URL (password or ACL user in it), a short connect timeout, and no endless retries,
// so that an unreachable store is an answer within seconds rather than a hang.

import { Redis, type RedisOptions } from 'ioredis';

const CONNECT_TIMEOUT_MS = 3000;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connected, or rejects with why not. `forQueue`: the options BullMQ needs for its blocking
 * commands (no per-request retry limit); otherwise commands fail fast while disconnected.
 */
export async function connectRedis(url: string, options: { forQueue?: boolean } = {}): Promise<Redis> {
  const extra: RedisOptions = options.forQueue
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, reconnectOnError: () => false };
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, ...extra });
  // Errors are answered where a command fails; an unhandled 'error' event would only print.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach ${redactUrl(url)}: ${(err as Error).message}`);
  }
  return redis;
}
