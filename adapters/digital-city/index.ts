/** 数字城管 (digital city management, GB/T 30428): orders go as cases over HTTP+XML, its lifecycle comes back as notices. */
import { defineAdapter } from '../kit/types.js';
import { fromNotice, fromReportAnswer, NAME, toCaseReport } from './mappers.js';
import { settingsSchema } from './settings.js';
import { httpXmlTransport } from './transport.js';

export const adapter = defineAdapter({
  manifest: {
    name: NAME,
    description: '数字城管系统（GB/T 30428）：按部件/事件分类立案，回传立案、派遣、处置、核查、结案',
    units: (s) => s.UNITS.split(','),
    reads: { 'order.dispatched': 1 },
    writes: { 'unit.acknowledged': 1, 'unit.progressed': 1, 'unit.replied': 1, 'unit.returned': 1 },
  },
  settings: settingsSchema,
  outbound: toCaseReport,
  answered: fromReportAnswer,
  inbound: fromNotice,
  transport: httpXmlTransport,
});
