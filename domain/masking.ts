/**
 * What a unit may see of the citizen. The identity and contact of a citizen who asked for
 * confidentiality (保密) never leave the hub towards a unit: rule of law, not taste (DOMAIN.md §5).
 * And what an operator may see of any order: nothing of the citizen at all.
 */
import { anonymise } from './disclosure.js';

export interface Citizen {
  name: string;
  phone: string;
  confidential: boolean;
}

export interface CitizenForUnit {
  name: string;
  phone: string | null;
  confidential: boolean;
}

/** Shown instead of the name of a confidential citizen. */
export const CONFIDENTIAL_NAME = '（诉求人要求保密）';

export function citizenForUnit(c: Citizen): CitizenForUnit {
  if (c.confidential) return { name: CONFIDENTIAL_NAME, phone: null, confidential: true };
  return { name: c.name, phone: c.phone, confidential: false };
}

/**
 * The title a unit reads of a request (its list, its page, the event for its system, every
 * e-mail): a confidential request's is its category, never the words the citizen or the
 * call-taker wrote, which may name the citizen or the place.
 */
export function titleForUnit(o: { title: string; category: string; citizenConfidential: boolean }, categories: ReadonlyArray<{ code: string; name: string }>): string {
  if (!o.citizenConfidential) return o.title;
  return `保密件：${categories.find((c) => c.code === o.category)?.name ?? o.category}`;
}

/** What units are told of why a confidential order was cancelled: the centre's own words stay at the centre. */
export const CONFIDENTIAL_CANCEL_REASON = '热线中心已撤销此工单，请停止办理';

/** Shown instead of the exact address of a confidential complaint. */
export const CONFIDENTIAL_ADDRESS = (districtName: string): string => `${districtName}（详细地址由热线中心保管）`;

/**
 * What a unit is told of a request. A confidential complaint goes out as the summary the
 * call-taker wrote for the unit; the raw description and the exact address stay at the centre.
 */
export function requestForUnit(o: {
  description: string;
  address: string;
  unitSummary: string | null;
  districtName: string;
  citizen: Citizen;
}): { description: string; address: string; citizen: CitizenForUnit } {
  const citizen = citizenForUnit(o.citizen);
  if (!o.citizen.confidential) return { description: o.description, address: o.address, citizen };
  return { description: o.unitSummary ?? '', address: CONFIDENTIAL_ADDRESS(o.districtName), citizen };
}

/**
 * The title an operator reads: the category's name, for every order. Operators trace orders
 * through the process; the words the call-taker wrote (张三家停水三天) are the citizen's matter.
 */
export const titleForOperator = (o: { category: string }, categories: ReadonlyArray<{ code: string; name: string }>): string => categories.find((c) => c.code === o.category)?.name ?? o.category;

/**
 * A free text an operator reads (a history note, an operator's reason, a job's error): the
 * citizen's name, phone and address, and any phone, ID number, e-mail, plate, house number and
 * person named by a cue or title, taken out (domain/disclosure.ts anonymise).
 */
export const textForOperator = (text: string, o: { citizenName: string; citizenPhone: string; address: string }): string => anonymise(text, { name: o.citizenName, phone: o.citizenPhone, address: o.address });
