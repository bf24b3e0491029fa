/**
 * 派单目录的版本: an order records the version of bpmn/dispatch.dmn that placed it, and that must be
 * the version the engine evaluated — not what this hub process last deployed, which another
 * process (a second hub, `hub deploy`, `hub rollback`) may have changed since. So the copy the
 * engine gets carries its own mark: one more output, `catalogueStamp`, the same in every rule, the
 * first 16 hex digits of the content's SHA-256. The decision's result then says which table was
 * evaluated; the model store says which engine version that content was deployed as. Only the
 * engine's copy is marked: the process owner's table, its checks and its history stay as written.
 */
import { DmnModdle } from 'dmn-moddle';
import { sha256 } from '../../usecases/ports.js';
import type { ModelResource } from './deploy.js';

/** The decision whose result an order records, and the file it lives in. */
export const CATALOGUE = { file: 'dispatch.dmn', decision: 'dispatch', output: 'catalogueStamp' } as const;

export const stampOf = (content: string): string => sha256(content).slice(0, 16);

type El = Record<string, unknown> & { $type: string };
const list = (el: El, key: string): El[] => ((el[key] as El[] | undefined) ?? (el[key] = [])) as El[];

/** The table with the stamp output added (every rule gives it); refused when it has no decision table `dispatch`. */
export async function stampCatalogue(xml: string, stamp = stampOf(xml)): Promise<string> {
  const moddle = new DmnModdle();
  const { rootElement } = await moddle.fromXML(xml, 'dmn:Definitions');
  const decision = list(rootElement as El, 'drgElement').find((e) => e.$type === 'dmn:Decision' && e.id === CATALOGUE.decision);
  const table = decision?.decisionLogic as El | undefined;
  if (!table || table.$type !== 'dmn:DecisionTable') throw new Error(`${CATALOGUE.file} has no decision table "${CATALOGUE.decision}"`);
  const outputs = list(table, 'output');
  if (outputs.some((o) => o.name === CATALOGUE.output)) throw new Error(`${CATALOGUE.file} names an output "${CATALOGUE.output}" itself; that name is the hub's`);
  outputs.push(moddle.create('dmn:OutputClause', { id: 'hub-catalogue-stamp', name: CATALOGUE.output, label: '平台版本标记 hub stamp', typeRef: 'string' }) as El);
  for (const rule of list(table, 'rule')) {
    list(rule, 'outputEntry').push(moddle.create('dmn:LiteralExpression', { id: `${String(rule.id)}-hub-stamp`, text: `"${stamp}"` }) as El);
  }
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

/** The resources as the engine gets them: the catalogue stamped, the rest as they are. */
export async function forEngine(resources: ModelResource[]): Promise<ModelResource[]> {
  return Promise.all(resources.map(async (r) => (r.name === CATALOGUE.file ? { ...r, content: await stampCatalogue(r.content) } : r)));
}
