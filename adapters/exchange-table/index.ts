/** A unit system reached through an exchange table (中间库) in the unit's own database. */
import { defineAdapter } from '../kit/types.js';
import { fromAnswerRow, NAME, toOrderRow } from './mappers.js';
import { settingsSchema } from './settings.js';
import { exchangeTableTransport } from './transport.js';

export const adapter = defineAdapter({
  manifest: {
    name: NAME,
    description: '单位业务系统（中间库）：派单写入 GD_XF，轮询 GD_FK 取签收、过程、办结、退回、延期申请',
    units: (s) => s.UNITS.split(','),
    reads: { 'order.dispatched': 1 },
    writes: { 'unit.acknowledged': 1, 'unit.progressed': 1, 'unit.replied': 1, 'unit.returned': 1, 'unit.extension-requested': 1 },
  },
  settings: settingsSchema,
  outbound: toOrderRow,
  inbound: fromAnswerRow,
  transport: exchangeTableTransport,
});
