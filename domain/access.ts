/**
 * Who may do what (权限): the roles, the principal a credential stands for, and what of an order
 * each of them may see. Pure: the gateway enforces it, the tests enumerate it.
 *
 * Rules of law behind it (DOMAIN.md §5): a unit sees only the orders dispatched to it, never a
 * confidential complainant's identity or raw words, and never an order that complains about it
 * (回避); the centre keeps its internal steps (classification, review, the citizen's callback) to
 * itself.
 */
export const ROLES = [
  'call-taker', // 话务员/受理员: registers orders
  'dispatcher', // 派单员: dispatches by hand what the rules cannot
  'supervisor', // 值班领导/督办: reads everything, reads the audit trail
  'callback-agent', // 回访员: calls the citizen back, records satisfaction
  'unit', // 承办单位: bound to one unit code; its own orders only
  'integration', // 对接系统: bound to one adapter; creates orders from a channel
  'operator', // 运维: traces and unsticks; sees no citizen data
  'process-owner', // 流程负责人: edits the dispatch rules
  'admin', // 管理员: manages keys
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  'call-taker': '受理员',
  dispatcher: '派单员',
  supervisor: '督办',
  'callback-agent': '回访员',
  unit: '承办单位',
  integration: '对接系统',
  operator: '运维',
  'process-owner': '流程负责人',
  admin: '管理员',
};

/** Whom a credential stands for. `unit` is set for the unit role only, `adapter` for integration only. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  unit: string | null;
  adapter: string | null;
}

/** The binding a role needs: a unit key names its unit, an integration key its adapter. */
export function bindingProblem(role: Role, unit: string | null | undefined, adapter: string | null | undefined): string | null {
  if (role === 'unit' && !unit) return 'a unit key must name its unit (--unit CODE)';
  if (role !== 'unit' && unit) return `only a unit key names a unit; a ${role} key does not`;
  if (role === 'integration' && !adapter) return 'an integration key must name its adapter (--adapter NAME)';
  if (role !== 'integration' && adapter) return `only an integration key names an adapter; a ${role} key does not`;
  return null;
}

/** How much of an order a principal sees. */
export type OrderView = 'centre' | 'operator' | 'unit';

export const CENTRE_ROLES: readonly Role[] = ['call-taker', 'dispatcher', 'supervisor', 'callback-agent'];

export function orderViewOf(p: Principal): OrderView | null {
  if (CENTRE_ROLES.includes(p.role)) return 'centre';
  if (p.role === 'operator') return 'operator';
  if (p.role === 'unit') return 'unit';
  return null;
}

/**
 * Whether a view of an order names its citizen (and so the read is audited like a write): the
 * centre's always; a unit's unless the citizen asked for confidentiality (then the unit reads
 * them masked); an operator's never.
 */
export const viewNamesCitizen = (view: OrderView, order: { citizenConfidential: boolean }): boolean => view === 'centre' || (view === 'unit' && !order.citizenConfidential);

/** The helper units (协办) of an order's current dispatch. */
export const helpersOf = (order: { helperUnits?: string | null }): string[] => (order.helperUnits ?? '').split(',').filter(Boolean);

/**
 * May this unit see the order at all? Only when it is the order's unit, the street its district
 * sent it on to (三级), or a unit helping on it (协办), and the order does not complain about it. Anything else is "not found" for
 * the unit: it must not learn the order exists.
 */
export const unitMaySee = (unit: string, order: { unitCode: string | null; subUnitCode?: string | null; helperUnits?: string | null; complainedUnit: string | null }): boolean =>
  (order.unitCode === unit || order.subUnitCode === unit || helpersOf(order).includes(unit)) && order.complainedUnit !== unit;

/** History steps a unit is shown; the rest (classification, review, callback) stays at the centre. */
export const UNIT_VISIBLE_STEPS: ReadonlySet<string> = new Set([
  'dispatch', 'acknowledge', 'chase-acknowledge', 'remind', 'chase', 'supervise', 'reply', 'return', 'extension-request', 'extension-decision', 'redo', 'close',
  'sub-dispatch', 'street-reply', 'street-review', 'helper-reply', 'helper-timeout', 'on-site', 'on-site-overdue', 'progress', 'chase-progress', 'unit-note',
  'supervision-notice', 'circular', 'instruction', 'instruction-report', 'spot-check', 'repeat-supervision',
]);
