/**
 * The OpenTelemetry environment's list values as the specification writes them
 * (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES): `key=value` pairs separated by commas,
 * the value percent-encoded, blanks around either trimmed.
 */

/** The pairs of a list; throws naming the pair that is not `key=value`. */
export function parseKeyValues(list: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of list.split(',')) {
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    const key = eq > 0 ? raw.slice(0, eq).trim() : '';
    if (!key) throw new Error(`${what}: "${raw.trim()}" is not key=value`);
    try {
      out[key] = decodeURIComponent(raw.slice(eq + 1).trim());
    } catch {
      throw new Error(`${what}: the value of ${key} is not percent-encoded correctly`);
    }
  }
  return out;
}

/** A list that parses, for the configuration's checks. */
export const isKeyValueList = (list: string): boolean => {
  try {
    parseKeyValues(list, '');
    return true;
  } catch {
    return false;
  }
};

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];
