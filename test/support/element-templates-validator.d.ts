/** The part of @bpmn-io/element-templates-validator the element-template test uses (it ships no types). */
declare module '@bpmn-io/element-templates-validator' {
  export function validateZeebe(template: unknown): { valid: boolean; object: unknown; errors?: Array<{ message: string; dataPointer?: unknown }> };
}
