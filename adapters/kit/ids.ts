/**
 * Event ids derived from a legacy system's own ids (a UUID v5 in the adapter's namespace): the same
 * message sent twice by the system becomes the same event, which the hub applies once.
 */
import { createHash } from 'node:crypto';

export function eventIdFor(adapter: string, ...legacyIds: string[]): string {
  const h = createHash('sha1').update(`hotline-hub\u0000${adapter}\u0000${legacyIds.join('\u0000')}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
