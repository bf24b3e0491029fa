/**
 * API keys: `hub_<id>_<secret>`. The id is public (lists, the audit trail); of the secret only
 * its SHA-256 is stored, and a presented key is compared in constant time. The secret is 32
 * random bytes, so a fast hash is the right one here (a slow password hash protects guessable
 * secrets, which these are not). Keys expire and can be revoked; a revocation takes effect in
 * every process within CACHE_MS.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { bindingProblem, ROLE_NAMES, ROLES, type Principal, type Role } from '../../domain/access.js';
import { HubError } from '../errors.js';
import { ApiKey, type ApiKeyRow } from '../db/entities.js';

const TOKEN = /^hub_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** How long a checked key is trusted without asking the database again. */
const CACHE_MS = 5_000;

export class KeyRefused extends HubError {
  constructor(message: string) {
    super('KEY_INVALID', message, false);
  }
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface NewKey {
  name: string;
  role: Role;
  unit?: string | null;
  adapter?: string | null;
  expiresAt?: Date | null;
  createdBy: string;
}

export interface KeyInfo {
  id: string;
  name: string;
  role: string;
  unit: string | null;
  adapter: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const info = (r: ApiKeyRow): KeyInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  unit: r.unitCode,
  adapter: r.adapter,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  revokedAt: r.revokedAt,
});

export class KeyStore {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Makes a key and returns it with its token: the only time the secret is seen. */
  async create(k: NewKey): Promise<{ key: KeyInfo; token: string }> {
    if (!ROLES.includes(k.role)) throw new KeyRefused(`unknown role "${k.role}": one of ${ROLES.join(', ')}`);
    const problem = bindingProblem(k.role, k.unit, k.adapter);
    if (problem) throw new KeyRefused(problem);
    const name = k.name.trim();
    if (name.length < 1 || name.length > 100) throw new KeyRefused('a key needs a name of 1 to 100 characters');
    if (k.expiresAt && k.expiresAt.getTime() <= this.now().getTime()) throw new KeyRefused('the expiry lies in the past');
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row: ApiKeyRow = {
      id,
      secretHash: sha256(secret),
      name,
      role: k.role,
      unitCode: k.unit ?? null,
      adapter: k.adapter ?? null,
      createdBy: k.createdBy,
      createdAt: this.now(),
      expiresAt: k.expiresAt ?? null,
      revokedAt: null,
    };
    await this.ds.getRepository(ApiKey).insert(row);
    return { key: info(row), token: `hub_${id}_${secret}` };
  }

  async list(): Promise<KeyInfo[]> {
    return (await this.ds.getRepository(ApiKey).find({ order: { createdAt: 'ASC' } })).map(info);
  }

  /** Revokes a key; false when there is no such key or it was revoked already. */
  async revoke(id: string): Promise<boolean> {
    const r = await this.ds
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: this.now() })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    this.cache.clear();
    return (r.affected ?? 0) > 0;
  }

  /** The principal a presented token stands for, or null for any token that does not hold. */
  async verify(token: string): Promise<Principal | null> {
    const m = TOKEN.exec(token);
    if (!m) return null;
    const [, id, secret] = m as unknown as [string, string, string];
    const cached = this.cache.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    const row = await this.ds.getRepository(ApiKey).findOneBy({ id });
    let principal: Principal | null = null;
    if (row && timingSafeEqual(Buffer.from(row.secretHash, 'hex'), Buffer.from(sha256(secret), 'hex'))) {
      const now = this.now().getTime();
      const live = !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > now);
      if (live) principal = { keyId: row.id, name: row.name, role: row.role as Role, unit: row.unitCode, adapter: row.adapter };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}

/**
 * On a database that never had any, makes one key per role for the demo and returns their
 * tokens (printed once by `hub start`). A row in hub_meta makes it happen once, whichever of
 * several processes starting together gets there first.
 */
export async function seedDemoKeys(ds: DataSource, keys: KeyStore, demo: { unit: string; adapter: string; days: number }): Promise<Array<{ role: Role; name: string; unit: string | null; token: string }>> {
  const existing = Number((await ds.query('SELECT COUNT(*) AS n FROM api_key'))[0].n);
  if (existing > 0) return [];
  try {
    await ds.query('INSERT INTO hub_meta (name, value, set_at) VALUES (?, ?, ?)', ['demo-keys', 'made', new Date()]);
  } catch {
    return []; // another process made them, or they were made and later removed
  }
  const expiresAt = new Date(Date.now() + demo.days * 86_400_000);
  const out: Array<{ role: Role; name: string; unit: string | null; token: string }> = [];
  // No admin key: an admin key printed to a console ends up in a log; an administrator makes one with `hub keys create`.
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const unit = role === 'unit' ? demo.unit : null;
    const name = `演示${ROLE_NAMES[role]}`;
    const { token } = await keys.create({ name, role, unit, adapter: role === 'integration' ? demo.adapter : null, expiresAt, createdBy: 'hub:demo' });
    out.push({ role, name, unit, token });
  }
  return out;
}

/** "30d", "12h", "90m", or "never" → the instant it stands for from now (null for never). */
export function parseExpiry(text: string, now = new Date()): Date | null {
  if (text === 'never') return null;
  const m = /^(\d{1,5})([dhm])$/.exec(text);
  if (!m) throw new KeyRefused(`expiry "${text}" is not a duration such as 90d, 12h, 30m, or "never"`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return new Date(now.getTime() + Number(m[1]) * unit);
}
