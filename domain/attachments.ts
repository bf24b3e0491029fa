/**
 * 附件: photos and documents on an order — the centre's at intake (the citizen's photo, a letter),
 * a unit's with its reply (signed off by the unit's leader), an app's link (Open311 media_url,
 * kept as a link: the hub never fetches an address a client names). Stored within the size and
 * type limits the centre sets; the type is what the bytes are, not what the client says. Who sees
 * which: the centre sees all; a unit the intake ones of an order it has (never of a confidential
 * request: a photo may show who called) and its own; the public none (政务公开 publishes texts
 * only). Pure.
 */

/** The kinds of file the hub takes, by their first bytes. */
const SIGNATURES: ReadonlyArray<{ type: string; ext: string; magic: readonly number[] }> = [
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];
export const KNOWN_TYPES = SIGNATURES.map((s) => s.type);

/** What the bytes are (by their signature), or null for anything else. */
export const sniffType = (bytes: Uint8Array): string | null => SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b))?.type ?? null;

export interface AttachmentPolicy {
  maxBytes: number;
  /** Content types taken (of KNOWN_TYPES). */
  types: readonly string[];
  /** At most this many files on one order. */
  maxPerOrder: number;
}

export type AttachmentRefusal = { refused: 'EMPTY_FILE' | 'FILE_TOO_LARGE' | 'FILE_TYPE_REFUSED' | 'FILE_TYPE_MISMATCH' | 'TOO_MANY_FILES'; reason: string };

/** A file's name as kept and shown: no folders, no control characters, at most 100 characters, never empty. */
export function safeName(name: string | undefined, type: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is taken out
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 100);
  return base || `附件.${SIGNATURES.find((s) => s.type === type)?.ext ?? 'bin'}`;
}

/** Whether an upload is taken: its size, what it is (its declared type must agree), and how many the order has. */
export function checkUpload(p: AttachmentPolicy, bytes: Uint8Array, declared: string | undefined, onOrder: number): { type: string } | AttachmentRefusal {
  if (bytes.length === 0) return { refused: 'EMPTY_FILE', reason: 'the file is empty' };
  if (bytes.length > p.maxBytes) return { refused: 'FILE_TOO_LARGE', reason: `the file is ${bytes.length} bytes; at most ${p.maxBytes} are taken (ATTACHMENT_MAX_BYTES)` };
  if (onOrder >= p.maxPerOrder) return { refused: 'TOO_MANY_FILES', reason: `the order has ${onOrder} files already, the most one order takes` };
  const type = sniffType(bytes);
  if (!type || !p.types.includes(type)) return { refused: 'FILE_TYPE_REFUSED', reason: `only ${p.types.join(', ')} files are taken; this one is ${type ?? 'none of them'}` };
  const said = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (said && said !== 'application/octet-stream' && said !== type) return { refused: 'FILE_TYPE_MISMATCH', reason: `the request says ${said}, but the file is ${type}` };
  return { type };
}

export type AttachmentKind = 'intake' | 'reply';

/** Who may see an attachment: the centre every one; a unit its own, and the intake ones of a request not kept confidential. */
export function attachmentVisible(viewer: { centre: boolean; unit?: string | null }, a: { kind: AttachmentKind; unitCode: string | null }, order: { citizenConfidential: boolean }): boolean {
  if (viewer.centre) return true;
  if (!viewer.unit) return false;
  if (a.kind === 'reply') return a.unitCode === viewer.unit;
  return !order.citizenConfidential;
}
