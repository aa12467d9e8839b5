import { ApiError } from "./errors";

/**
 * An API error's field errors as a form's errors (first message per field), keeping only
 * the fields the form has; the rest (and errors of no field) go to `formError`.
 */
export function formErrorsOf(
  error: unknown,
  fields: readonly string[],
): { fieldErrors: Record<string, string>; formError: string | null } {
  if (!(error instanceof ApiError)) return { fieldErrors: {}, formError: error instanceof Error ? error.message : String(error) };
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    const first = messages[0];
    if (first === undefined) continue;
    if (fields.includes(field)) fieldErrors[field] = first;
    else rest.push(field === "non_field_errors" ? first : `${field}: ${first}`);
  }
  const formError = rest.length > 0 ? rest.join(" ") : Object.keys(fieldErrors).length > 0 ? null : error.message;
  return { fieldErrors, formError };
}
