/**
 * The duty leader an escalation goes to: whoever the rota has on duty at that instant, else the
 * catalogue's standing address (config/catalog.json centre.dutyLeaderEmail). Read before the
 * escalation's transaction, and written into its outbox row: the mail goes to the leader on duty
 * when it was raised, whenever the mail server takes it.
 */
import type { Catalog } from '../domain/catalog.js';
import type { DutyRota } from './ports.js';

export async function dutyLeaderEmail(d: { rota?: DutyRota; catalog: Catalog }, at: Date): Promise<string> {
  return (await d.rota?.onDuty(at))?.email ?? d.catalog.centre.dutyLeaderEmail;
}
