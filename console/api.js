// The hub's API as the console calls it: with the user's own key, and every refusal as the text the
// staff read (the API's `error.text`, from domain/text.ts), never its code or English message.

/** A refusal: `message` is the Chinese text; `code` and `details` for the form that shows it. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.text ?? (status >= 500 ? '平台暂时无法处理，请稍后再试' : `请求未能完成（HTTP ${status}）`));
    this.status = status;
    this.code = error?.code ?? null;
    this.details = error?.details;
  }
}

/** Called when the key is refused (401): the console signs the user out. */
let onUnauthenticated = () => undefined;
export const whenUnauthenticated = (fn) => (onUnauthenticated = fn);

export async function api(path, opts = {}) {
  const key = sessionStorage.getItem('hub-key');
  const headers = { ...(opts.headers ?? {}), ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const init = { ...opts, headers };
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(opts.json);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, { text: '无法连接平台，请检查网络后重试' });
  }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (res.status === 401) {
    sessionStorage.removeItem('hub-key');
    onUnauthenticated();
    throw new ApiError(401, body?.error);
  }
  if (!res.ok) throw new ApiError(res.status, body?.error);
  return body;
}

/** A file the API makes (an export): its bytes as they came (the CSV's byte-order mark kept) and its name. A search in `json` is POSTed; without, the file is read by GET. */
export async function apiFile(path, json) {
  const key = sessionStorage.getItem('hub-key');
  const auth = key ? { authorization: `Bearer ${key}` } : {};
  const res = await fetch(`/api/v1${path}`, json === undefined ? { headers: auth } : { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(json) });
  if (!res.ok) {
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (res.status === 401) onUnauthenticated();
    throw new ApiError(res.status, body?.error);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
  return { blob: await res.blob(), name };
}

/** A random key for an Idempotency-Key (getRandomValues works over plain http too, where randomUUID does not). */
export const actionKey = () => [...window.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

let catalogOnce = null;
/** The catalog (categories, districts, units), read once per page load. */
export const catalog = () => (catalogOnce ??= api('/catalog').catch((err) => {
  catalogOnce = null;
  throw err;
}));
