// The serve test world with a fleet policy store: an operator token for the API, this host's
// circuit and the fleet's opened the real way (failing runs; other hosts' reservations).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFleetStore } from '../../src/cluster/fleet-policy.js';
import { applyRecoveryActions, circuits, readState } from '../../src/recovery/index.js';
import { hashPassword, hashToken } from '../../src/serve/auth.js';
import { loadServeConfig } from '../../src/serve/config.js';
import { tmpWorld } from '../recovery/helpers.js';
import { world, type World } from '../serve/_world.js';

export const OPS_TOKEN = 'operator-token-fleet-0123456789';
const LOCAL_POLICY = 'policy: { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } }';

/** The serve world with an operator token (and `password` for the page); `store`: its policy in that Redis too. */
export function fleetWorld(store?: string, password?: string): World {
  const signIn = password ? `, password: "${hashPassword(password)}"` : '';
  const w = world(['  users:', `    - { name: ops, role: operator, token: "${hashToken(OPS_TOKEN)}"${signIn} }`]);
  const text = readFileSync(w.configFile, 'utf8');
  if (!text.includes(LOCAL_POLICY)) throw new Error('the serve world\'s policy line changed');
  if (store) writeFileSync(w.configFile, text.replace(LOCAL_POLICY, `policy: { store: "${store}", cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } }`));
  return w;
}

/** Open this host's page_oncall circuit the real way: an action that keeps failing. Its target. */
export async function openLocalCircuit(w: World): Promise<string> {
  const config = loadServeConfig(w.configFile).config;
  const local = { ...config, policy: { ...config.policy, store: undefined } };
  for (let i = 0; i < 3; i++) await applyRecoveryActions(['page_oncall'], { config: local });
  const open = circuits({ config: local }).find((c) => c.action === 'page_oncall' && c.open);
  if (!open) throw new Error('page_oncall circuit did not open');
  return open.target;
}

/** Open a fleet circuit as other hosts would: attempts reserved until the fleet refuses. */
export async function openFleetCircuit(w: World, action: string, target: string): Promise<void> {
  const config = loadServeConfig(w.configFile).config;
  const elsewhere = readState(join(tmpWorld(), 'none'));
  const store = await openFleetStore(config);
  try {
    for (let i = 0; i < 3; i++) await store.reserve(elsewhere, action, target, `other-${i}`, new Date());
    const refused = await store.reserve(elsewhere, action, target, 'other-x', new Date());
    if (refused.allow || refused.policy !== 'fleet-circuit-open') throw new Error(`fleet circuit not open: ${JSON.stringify(refused)}`);
  } finally {
    await store.close();
  }
}
