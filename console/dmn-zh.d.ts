// Types of console/dmn-zh.js (plain ES module, served as is), for the tests that import it.
export const DMN_ZH: Record<string, string>;
export function translateZh(template: string, replacements?: Record<string, string>): string;
export const dmnZhModule: { translate: ['value', typeof translateZh] };
export const dmnZhOptions: Record<'drd' | 'decisionTable' | 'literalExpression', { additionalModules: unknown[] }>;
