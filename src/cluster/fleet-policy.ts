// The fleet's recovery policy in Redis: cooldowns, circuits, the hourly cap and `maxConcurrent`
// shared by every host whose config names the same `policy.store`. One Lua script decides and
// reserves atomically, on the Redis server's clock, so two hosts never both pass; when Redis
// cannot be reached the host falls back to acting less (policy.offlineDecision).

import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { LogmedicConfig } from '../config/types.js';
import type { JournalEntry } from '../recovery/journal.js';
import { keyOf, offlineDecision, type Decision, type PolicyState, type PolicyStore } from '../recovery/policy.js';
import { connectRedis } from './redis.js';

/** Where the fleet's journal stream lives, and how long it grows before old entries go. */
export const FLEET_STREAM = 'logmedic:journal';
const STREAM_MAXLEN = 100_000;
/** A host that dies mid-action holds its `maxConcurrent` slot this long at most. */
const LEASE_MS = 600_000;

// KEYS: attempts (zset member→start ms), circuit (hash), in-flight (zset member→lease end), fleet hour (zset).
// ARGV: cooldown ms, window ms, maxAttempts, maxConcurrent (0: none), hourly cap, lease ms, member.
// Returns {verdict, detail, ms}; verdict ok | circuit | cooldown | busy | cap.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cooldown, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local maxAttempts, maxConcurrent, cap, lease = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local opened = redis.call('HGET', KEYS[2], 'openedAt')
if opened then
  if now < tonumber(opened) + window then
    return {'circuit', redis.call('HGET', KEYS[2], 'attempts'), opened}
  end
  -- The window has passed: the circuit closes and its attempts are forgotten.
  redis.call('DEL', KEYS[2], KEYS[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= maxAttempts then
  redis.call('HSET', KEYS[2], 'openedAt', now, 'attempts', n)
  redis.call('PEXPIRE', KEYS[2], window)
  return {'circuit', tostring(n), tostring(now)}
end
local last = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if last[1] and now - tonumber(last[2]) < cooldown then
  return {'cooldown', last[1], tostring(cooldown - (now - tonumber(last[2])))}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if maxConcurrent > 0 and redis.call('ZCARD', KEYS[3]) >= maxConcurrent then
  return {'busy', redis.call('ZRANGE', KEYS[3], 0, 0)[1], ''}
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 3600000)
local hour = redis.call('ZCARD', KEYS[4])
if hour >= cap then
  return {'cap', tostring(hour), ''}
end
redis.call('ZADD', KEYS[1], now, ARGV[7])
redis.call('PEXPIRE', KEYS[1], math.max(window, cooldown) + 1000)
redis.call('ZADD', KEYS[3], now + lease, ARGV[7])
redis.call('PEXPIRE', KEYS[3], lease + 1000)
redis.call('ZADD', KEYS[4], now, ARGV[7])
redis.call('PEXPIRE', KEYS[4], 3600000 + 1000)
return {'ok', '', tostring(now)}
`;

const keys = (action: string, target: string) => {
  const k = `logmedic:policy:${keyOf(action, target)}`;
  return { attempts: `${k}:attempts`, circuit: `${k}:circuit`, inflight: `${k}:inflight`, hour: 'logmedic:policy:hour' };
};

/** A reservation's member: who holds it (host and PID) and which attempt. */
const memberOf = (attemptId: string) => `${hostname()}/${process.pid}/${attemptId}`;
const holderOf = (member: string) => member.split('/').slice(0, 2).join(' PID ');

export class FleetStore implements PolicyStore {
  /** Set once a call failed: the rest of this run decides offline rather than waiting on each step. */
  private unreachable?: string;

  constructor(
    private readonly config: LogmedicConfig,
    private readonly redis: Redis | undefined,
    why?: string,
  ) {
    this.unreachable = redis ? undefined : why;
  }

  async reserve(state: PolicyState, action: string, target: string, attemptId: string, now: Date): Promise<Decision> {
    if (!this.redis || this.unreachable) return offlineDecision(state, this.config, now, this.unreachable ?? 'not connected');
    const { cooldownSeconds, circuit, maxActionsPerHour, maxConcurrent } = this.config.policy;
    const k = keys(action, target);
    let answer: [string, string, string];
    try {
      answer = (await this.redis.eval(RESERVE, 4, k.attempts, k.circuit, k.inflight, k.hour, cooldownSeconds * 1000, circuit.windowSeconds * 1000, circuit.maxAttempts, maxConcurrent ?? 0, maxActionsPerHour, LEASE_MS, memberOf(attemptId))) as [string, string, string];
    } catch (err) {
      this.unreachable = (err as Error).message;
      return offlineDecision(state, this.config, now, this.unreachable);
    }
    const [verdict, detail, ms] = answer;
    switch (verdict) {
      case 'ok':
        return { allow: true };
      case 'circuit':
        return {
          allow: false,
          policy: 'fleet-circuit-open',
          attempts: Number(detail),
          reason: `fleet circuit open: ${action} on ${target} was tried ${detail} times across the fleet within ${circuit.windowSeconds} s and the error keeps coming; not trying again — a person must look`,
        };
      case 'cooldown':
        return { allow: false, policy: 'fleet-cooldown', reason: `fleet cooldown: ${action} on ${target} was started by ${holderOf(detail)}; again in ${Math.ceil(Number(ms) / 1000)} s` };
      case 'busy':
        return { allow: false, policy: 'fleet-busy', reason: `fleet busy: ${holderOf(detail)} is running ${action} on ${target}; policy.maxConcurrent is ${maxConcurrent}` };
      default:
        return { allow: false, policy: 'fleet-hourly-cap', reason: `${detail} actions across the fleet in the last hour reach policy.maxActionsPerHour (${maxActionsPerHour})` };
    }
  }

  async settle(action: string, target: string, attemptId: string): Promise<void> {
    if (!this.redis || this.unreachable) return;
    // A slot that cannot be freed now expires with its lease.
    await this.redis.zrem(keys(action, target).inflight, memberOf(attemptId)).catch(() => {});
  }

  async publish(entry: JournalEntry): Promise<void> {
    if (!this.redis || this.unreachable) return;
    await this.redis.xadd(FLEET_STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'host', hostname(), 'entry', JSON.stringify(entry)).catch(() => {});
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** Connect to the configured store; an unreachable one gives a store that decides offline. */
export async function openFleetStore(config: LogmedicConfig): Promise<PolicyStore> {
  try {
    return new FleetStore(config, await connectRedis(config.policy.store!));
  } catch (err) {
    return new FleetStore(config, undefined, (err as Error).message);
  }
}

/** The fleet's journal, newest last: what every host did, as each host journaled it. */
export async function readFleetJournal(url: string, limit: number): Promise<{ host: string; entry: JournalEntry }[]> {
  const redis = await connectRedis(url);
  try {
    const rows = await redis.xrevrange(FLEET_STREAM, '+', '-', 'COUNT', limit);
    return rows.reverse().map(([, fields]) => {
      const f = Object.fromEntries(fields.flatMap((v, i) => (i % 2 === 0 ? [[v, fields[i + 1]]] : [])));
      return { host: f.host, entry: JSON.parse(f.entry) as JournalEntry };
    });
  } finally {
    redis.disconnect();
  }
}
