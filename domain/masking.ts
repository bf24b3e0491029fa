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
