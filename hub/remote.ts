/**
 * The `hub` command against a running hub's API instead of its database: HUB_URL names the hub
 * (e.g. https://hub.example.gov.cn) and HUB_API_KEY carries a key of the role the verb needs (a
 * process owner's to deploy). No database or engine credentials on the process owner's machine, and
 * the API records who deployed, as the console does. The key is read from the environment, never a
 * flag: a flag shows in the process list and the shell's history.
 */

export interface RemoteHub {
  url: string;
  key: string;
}

/** A usage error of the command (exit 2): HUB_URL without a key, or not a URL. */
export class RemoteUsageError extends Error {
  override name = 'RemoteUsageError';
}

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

/** The hub HUB_URL names, or undefined: the verb then opens the database itself. */
export function remoteHub(env: NodeJS.ProcessEnv = process.env): RemoteHub | undefined {
  const url = env.HUB_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) throw new RemoteUsageError(`HUB_URL must be the hub's address, e.g. http://127.0.0.1:3000, not "${url}"`);
  const key = env.HUB_API_KEY?.trim();
  if (!key) throw new RemoteUsageError('HUB_URL is set but HUB_API_KEY is not: give the key of the role this needs (hub keys create --role process-owner …)');
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
