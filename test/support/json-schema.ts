/** A JSON Schema (draft-07) validator for the tests, with formats (date-time, uuid): Ajv, strict off for AsyncAPI's own schema. */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export function validator(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  return ajv;
}

/** The errors of `data` against `validate`, one line each ([] when valid). */
export function problems(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
