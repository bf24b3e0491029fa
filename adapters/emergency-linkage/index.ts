/** 紧急联动: the emergency lines (110/119/120/122) through the city's linkage platform. */
import { partnerTopics } from '../../domain/events.js';
import { defineAdapter } from '../kit/types.js';
import { fromEvent, NAME, toCall } from './mappers.js';
import { settingsSchema } from './settings.js';
import { linkageTransport } from './transport.js';

export const adapter = defineAdapter({
  manifest: {
    name: NAME,
    description: '应急联动平台（110/119/120/122）：紧急诉求即时移交，回传接警确认和处警结果；110转12345非警务诉求，回复受理结果和办理结果',
    units: (s) => s.PARTNERS.split(','),
    readTopics: (s) => s.PARTNERS.split(',').map((p) => partnerTopics(p).handover),
    reads: { 'emergency.handover': 1, 'partner.transfer-answered': 1, 'partner.transfer-concluded': 1 },
    writes: { 'emergency.acknowledged': 1, 'emergency.concluded': 1, 'partner.transferred': 1 },
  },
  settings: settingsSchema,
  outbound: toCall,
  inbound: fromEvent,
  transport: linkageTransport,
});
