// Who is asking, and may they: password and token checks against the config's hashes,
// sessions (an HttpOnly cookie plus a CSRF token the page sends back on every change), and
// a per-address limit on failed sign-ins.

import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role, ServeUser } from './config.js';

const SCRYPT_KEYLEN = 32;
const SESSION_MS = 12 * 3600_000;
/** Failed sign-ins allowed per address per window before it is refused for the rest of it. */
export const LOGIN_FAILURES_ALLOWED = 5;
const LOGIN_WINDOW_MS = 60_000;
/** Addresses with failures remembered before the expired ones are dropped. */
const MAX_TRACKED = 10_000;

export interface Session {
  id: string;
  user: string;
  role: Role;
  csrf: string;
  expires: number;
}

/** `scrypt:<salt>:<key>` for a password; what goes into `serve.users[].password`. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('base64')}:${scryptSync(password, salt, SCRYPT_KEYLEN).toString('base64')}`;
}

export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

function verifyPassword(password: string, stored: string): boolean {
  const [, salt, key] = stored.split(':');
  const want = Buffer.from(key, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length);
  return timingSafeEqual(got, want);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Auth {
  readonly users: ServeUser[];
  #sessions = new Map<string, Session>();
  #failures = new Map<string, { count: number; since: number }>();
  /** With no users configured (loopback only): one shared CSRF token for the local operator. */
  readonly localCsrf = randomBytes(24).toString('base64url');

  constructor(users: ServeUser[]) {
    this.users = users;
  }

  get required(): boolean {
    return this.users.length > 0;
  }

  /** Whether `address` has used up its failed sign-ins for now. */
  limited(address: string, now = Date.now()): boolean {
    const f = this.#failures.get(address);
    return f !== undefined && now - f.since < LOGIN_WINDOW_MS && f.count >= LOGIN_FAILURES_ALLOWED;
  }

  /** A new session for a correct name and password; undefined (and a failure counted) otherwise. */
  login(name: string, password: string, address: string, now = Date.now()): Session | undefined {
    const user = this.users.find((u) => u.name === name && u.password);
    // Hash even for an unknown name, so timing does not tell which names exist.
    const ok = user ? verifyPassword(password, user.password!) : (verifyPassword(password, hashPassword('x')), false);
    if (!ok) {
      if (this.#failures.size > MAX_TRACKED) for (const [k, f] of this.#failures) if (now - f.since >= LOGIN_WINDOW_MS) this.#failures.delete(k);
      const f = this.#failures.get(address);
      if (!f || now - f.since >= LOGIN_WINDOW_MS) this.#failures.set(address, { count: 1, since: now });
      else f.count++;
      return undefined;
    }
    this.#failures.delete(address);
    for (const [id, old] of this.#sessions) if (old.expires <= now) this.#sessions.delete(id);
    const s: Session = { id: randomBytes(24).toString('base64url'), user: user!.name, role: user!.role, csrf: randomBytes(24).toString('base64url'), expires: now + SESSION_MS };
    this.#sessions.set(s.id, s);
    return s;
  }

  logout(id: string): void {
    this.#sessions.delete(id);
  }

  session(id: string | undefined, now = Date.now()): Session | undefined {
    if (!id) return undefined;
    const s = this.#sessions.get(id);
    if (s && s.expires <= now) {
      this.#sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** The user a bearer token belongs to. */
  bearer(token: string): ServeUser | undefined {
    const h = hashToken(token);
    return this.users.find((u) => u.token !== undefined && sameText(u.token, h));
  }

  checkCsrf(expected: string, given: string | undefined): boolean {
    return given !== undefined && sameText(expected, given);
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A malformed cookie is no cookie.
    }
  }
  return out;
}
