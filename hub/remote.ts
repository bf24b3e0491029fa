/**
 * The `hub` command against a running hub's API instead of its database: HUB_URL names the hub
 * (e.g. https://hub.example.gov.cn) and HUB_API_KEY carries a key of the role the verb needs (a
 * process owner's to deploy, an operator's for stuck, retry and cancel). Or HUB_PROFILE names a
 * profile, as c8ctl keeps them: ~/.config/hotline-hub/profiles.json (HUB_PROFILES_FILE elsewhere)
 * holds { "<name>": { "url": "…", "keyFile": "…" } }, the key in a file of its own. No database
 * or engine credentials on that machine, and the API records who acted, as the console does. The
 * key is never a flag: a flag shows in the process list and the shell's history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './usage.js';

export interface RemoteHub {
  url: string;
  key: string;
}

/** A usage error of the command (exit 2): HUB_URL without a key, or not a URL; a profile that is not there. */
export { UsageError as RemoteUsageError } from './usage.js';

/** What the hub refused: its HTTP status, stable code, message and details (a model's problems). */
export class RemoteRefusal extends Error {
  override name = 'RemoteRefusal';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { problems?: string[] } & Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Where profiles are kept. */
export const profilesFile = (env: NodeJS.ProcessEnv = process.env): string => env.HUB_PROFILES_FILE || path.join(os.homedir(), '.config', 'hotline-hub', 'profiles.json');

function fromProfile(name: string, env: NodeJS.ProcessEnv): RemoteHub {
  const file = profilesFile(env);
  let profiles: Record<string, { url?: string; keyFile?: string }>;
  try {
    profiles = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof profiles;
  } catch (err) {
    throw new UsageError(`HUB_PROFILE=${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const p = profiles[name];
  if (!p?.url || !p.keyFile) throw new UsageError(`HUB_PROFILE=${name}: ${file} has no profile "${name}" with url and keyFile (there are: ${Object.keys(profiles).join(', ') || 'none'})`);
  let key: string;
  try {
    key = fs.readFileSync(path.resolve(path.dirname(file), p.keyFile), 'utf8').trim();
  } catch (err) {
    throw new UsageError(`HUB_PROFILE=${name}: cannot read its keyFile ${p.keyFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return remoteHub({ HUB_URL: p.url, HUB_API_KEY: key })!;
}

/** The hub HUB_URL (or HUB_PROFILE) names, or undefined: the verb then opens the database itself. */
export function remoteHub(env: NodeJS.ProcessEnv = process.env): RemoteHub | undefined {
  if (env.HUB_PROFILE?.trim()) {
    if (env.HUB_URL?.trim()) throw new UsageError('HUB_PROFILE and HUB_URL: set one of them, not both');
    return fromProfile(env.HUB_PROFILE.trim(), env);
  }
  const url = env.HUB_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) throw new UsageError(`HUB_URL must be the hub's address, e.g. http://127.0.0.1:3000, not "${url}"`);
  const key = env.HUB_API_KEY?.trim();
  if (!key) throw new UsageError('HUB_URL is set but HUB_API_KEY is not: give the key of the role this needs (hub keys create --role process-owner …)');
  return { url: url.replace(/\/+$/, ''), key };
}

/** One API call: the JSON it answers, or a RemoteRefusal with the hub's own words. */
export async function callHub<T>(hub: RemoteHub, method: 'GET' | 'POST', path: string, body?: { xml: string } | Record<string, unknown>): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${hub.key}`, accept: 'application/json' };
  let payload: string | undefined;
  if (body && 'xml' in body && typeof body.xml === 'string') {
    headers['content-type'] = 'application/xml';
    payload = body.xml;
  } else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`${hub.url}/api/v1${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    const c = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (err as Error).message;
    throw new RemoteRefusal(0, 'UNREACHABLE', `no hub answers at HUB_URL ${hub.url} (${cause})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new RemoteRefusal(res.status, 'NOT_JSON', `${hub.url} answered ${res.status} with something that is not the hub's JSON: is HUB_URL the hub?`);
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: RemoteRefusal['details'] } } | null)?.error;
    throw new RemoteRefusal(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `${res.status} from ${hub.url}`, e?.details);
  }
  return json as T;
}
