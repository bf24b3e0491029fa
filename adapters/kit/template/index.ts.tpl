/** __NAME__: __TITLE__. */
import { defineAdapter } from '../kit/types.js';
import { fromAnswer, fromNotice, NAME, toCall } from './mappers.js';
import { settingsSchema } from './settings.js';
import { httpJsonTransport } from './transport.js';

export const adapter = defineAdapter({
  manifest: {
    name: NAME,
    description: '__TITLE__',
    units: (s) => s.UNITS.split(','),
    reads: { 'order.dispatched': 1 },
    writes: { 'unit.acknowledged': 1, 'unit.progressed': 1, 'unit.replied': 1, 'unit.returned': 1 },
  },
  settings: settingsSchema,
  outbound: toCall,
  answered: fromAnswer,
  inbound: fromNotice,
  transport: httpJsonTransport,
});
