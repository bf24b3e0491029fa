/**
 * What a unit may see of the citizen. The identity and contact of a citizen who asked for
 * confidentiality (保密) never leave the hub towards a unit: rule of law, not taste (DOMAIN.md §5).
 */
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
