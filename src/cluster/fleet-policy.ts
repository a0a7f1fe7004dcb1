// The fleet's recovery policy in Redis: cooldowns, circuits, the hourly cap and `maxConcurrent`
// shared by every host whose config names the same `policy.store`. One Lua script decides and
// reserves atomically, on the Redis server's clock, so two hosts never both pass; when Redis
// cannot be reached the host falls back to acting less (policy.offlineDecision). The same script,
// run dry, shows a dry run the fleet's state; `reset` clears the fleet's circuits.

import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { LogmedicConfig } from '../config/types.js';
import type { JournalEntry } from '../recovery/journal.js';
import { keyOf, OFFLINE_MAX_ACTIONS_PER_HOUR, offlineDecision, resetEntry, type Decision, type FleetView, type PolicyState, type PolicyStore } from '../recovery/policy.js';
import { connectRedis, redactUrl } from './redis.js';

/** Where the fleet's journal stream lives, and how long it grows before old entries go. */
export const FLEET_STREAM = 'logmedic:journal';
const STREAM_MAXLEN = 100_000;
/** A host that dies mid-action holds its `maxConcurrent` slot this long at most. */
const LEASE_MS = 600_000;
/**
 * How long one policy command may take: the script runs in microseconds on the server, so no
 * answer by then means a hung or unreachable store, and the run goes on by the offline rule.
 */
const COMMAND_TIMEOUT_MS = 1000;

// KEYS: attempts (zset member→start ms), circuit (hash), in-flight (zset member→lease end), fleet hour (zset).
// ARGV: cooldown ms, window ms, maxAttempts, maxConcurrent (0: none), hourly cap, lease ms, member,
// dry ('1': decide as it would, change nothing — recover --dry-run).
// Returns {verdict, detail, ms, attempts, openedAt, cooldownLeftMs, slotsInUse, actionsThisHour};
// verdict ok | circuit | cooldown | busy | cap; the last five are the fleet's state as read.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cooldown, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local maxAttempts, maxConcurrent, cap, lease = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local dry = ARGV[8] == '1'
if not dry then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 3600000)
end
local opened = redis.call('HGET', KEYS[2], 'openedAt')
local forgotten = false
if opened and now >= tonumber(opened) + window then
  -- The window has passed: the circuit closes and its attempts are forgotten.
  if not dry then redis.call('DEL', KEYS[2], KEYS[1]) end
  opened, forgotten = false, true
end
local n, last = 0, {}
if not forgotten then
  n = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  last = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. (now - window), 'WITHSCORES', 'LIMIT', 0, 1)
end
local left = 0
if last[1] and now - tonumber(last[2]) < cooldown then left = cooldown - (now - tonumber(last[2])) end
local slots = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
local hour = redis.call('ZCOUNT', KEYS[4], '(' .. (now - 3600000), '+inf')
local function answer(verdict, detail, ms)
  return {verdict, detail, ms, n, opened or '', left, slots, hour}
end
if opened then
  return answer('circuit', redis.call('HGET', KEYS[2], 'attempts'), opened)
end
if n >= maxAttempts then
  if not dry then
    redis.call('HSET', KEYS[2], 'openedAt', now, 'attempts', n)
    redis.call('PEXPIRE', KEYS[2], window)
  end
  return answer('circuit', tostring(n), tostring(now))
end
if left > 0 then
  return answer('cooldown', last[1], tostring(left))
end
if maxConcurrent > 0 and slots >= maxConcurrent then
  return answer('busy', redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. now, '+inf', 'LIMIT', 0, 1)[1], '')
end
if hour >= cap then
  return answer('cap', tostring(hour), '')
end
if not dry then
  redis.call('ZADD', KEYS[1], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[1], math.max(window, cooldown) + 1000)
  redis.call('ZADD', KEYS[3], now + lease, ARGV[7])
  redis.call('PEXPIRE', KEYS[3], lease + 1000)
  redis.call('ZADD', KEYS[4], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[4], 3600000 + 1000)
end
return answer('ok', '', tostring(now))
`;

/** The script's reply: verdict, detail, ms, then the fleet's state (see RESERVE). */
type FleetAnswer = [string, string, string, number, string, number, number, number];

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
    try {
      return this.decisionOf(action, target, await this.ask(action, target, memberOf(attemptId), false));
    } catch (err) {
      this.unreachable = (err as Error).message;
      return offlineDecision(state, this.config, now, this.unreachable);
    }
  }

  /** What `reserve` would decide now, and the fleet's state it read; nothing is taken or written. */
  async preview(state: PolicyState, action: string, target: string, now: Date): Promise<{ decision: Decision; fleet: FleetView }> {
    const { circuit, maxActionsPerHour, maxConcurrent, offlineMaxActionsPerHour } = this.config.policy;
    const store = redactUrl(this.config.policy.store ?? '');
    let answer: FleetAnswer | undefined;
    if (this.redis && !this.unreachable) {
      try {
        answer = await this.ask(action, target, memberOf('preview'), true);
      } catch (err) {
        this.unreachable = (err as Error).message;
      }
    }
    if (!answer) {
      const why = this.unreachable ?? 'not connected';
      const cap = offlineMaxActionsPerHour ?? OFFLINE_MAX_ACTIONS_PER_HOUR;
      const actions = state.attempts.filter((a) => now.getTime() - Date.parse(a.time) < 3600_000).length;
      return { decision: offlineDecision(state, this.config, now, why), fleet: { store, reachable: false, unreachable: why, offline: { cap, actionsThisHour: actions } } };
    }
    const [verdict, detail, ms, attempts, openedAt, cooldownLeftMs, slotsInUse, actionsThisHour] = answer;
    // Open already (it has an opening time), as against opening with this attempt.
    const open = verdict === 'circuit' && openedAt !== '';
    return {
      decision: this.decisionOf(action, target, answer),
      fleet: {
        store,
        reachable: true,
        circuit: { open, attempts: open ? Number(detail) : Number(attempts), maxAttempts: circuit.maxAttempts, windowSeconds: circuit.windowSeconds, ...(open ? { openedAt: new Date(Number(ms)).toISOString() } : {}) },
        cooldownLeftSeconds: Math.ceil(Number(cooldownLeftMs) / 1000),
        slots: { inUse: Number(slotsInUse), max: maxConcurrent ?? null },
        hour: { actions: Number(actionsThisHour), cap: maxActionsPerHour },
      },
    };
  }

  /** The fleet's verdict from the one script; `dry`: decided as it would be, nothing written. */
  private async ask(action: string, target: string, member: string, dry: boolean): Promise<FleetAnswer> {
    const { cooldownSeconds, circuit, maxActionsPerHour, maxConcurrent } = this.config.policy;
    const k = keys(action, target);
    return (await this.redis!.eval(RESERVE, 4, k.attempts, k.circuit, k.inflight, k.hour, cooldownSeconds * 1000, circuit.windowSeconds * 1000, circuit.maxAttempts, maxConcurrent ?? 0, maxActionsPerHour, LEASE_MS, member, dry ? '1' : '0')) as FleetAnswer;
  }

  private decisionOf(action: string, target: string, [verdict, detail, ms]: FleetAnswer): Decision {
    const { circuit, maxActionsPerHour, maxConcurrent } = this.config.policy;
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
    return new FleetStore(config, await connectRedis(config.policy.store!, { commandTimeoutMs: COMMAND_TIMEOUT_MS }));
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

/**
 * `logmedic reset` with a store: close the fleet's circuits that match (all when no filter) and
 * forget the fleet's attempts of the same pairs, so that a person who fixed the cause lets every
 * host act again. Slots in use stay: they are steps running now. The reset is added to the
 * fleet's journal. Returns the `action target` pairs whose circuit was open, and all pairs cleared.
 */
export async function resetFleetCircuits(url: string, filter: { action?: string; target?: string }, by?: string): Promise<{ closed: string[]; forgotten: string[] }> {
  const redis = await connectRedis(url, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
  try {
    const prefix = 'logmedic:policy:';
    const found = new Map<string, { circuit?: string; attempts?: string }>();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        const kind = /:(circuit|attempts)$/.exec(key)?.[1] as 'circuit' | 'attempts' | undefined;
        if (!kind) continue;
        const pair = key.slice(prefix.length, -(kind.length + 1));
        const [action, ...rest] = pair.split(' ');
        if ((filter.action && filter.action !== action) || (filter.target && filter.target !== rest.join(' '))) continue;
        found.set(pair, { ...found.get(pair), [kind]: key });
      }
    } while (cursor !== '0');
    const pairs = [...found.keys()].sort();
    const closed = pairs.filter((p) => found.get(p)!.circuit);
    const doomed = [...found.values()].flatMap((k) => [k.circuit, k.attempts].filter((x): x is string => x !== undefined));
    const entry = resetEntry(filter, { fleet: true, closed, forgotten: pairs }, by);
    const tx = redis.multi();
    if (doomed.length > 0) tx.del(...doomed);
    tx.xadd(FLEET_STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'host', hostname(), 'entry', JSON.stringify(entry));
    await tx.exec();
    return { closed, forgotten: pairs };
  } finally {
    redis.disconnect();
  }
}
