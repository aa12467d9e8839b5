import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";

/** A refused paid operation (402) as "needs X credits, you have Y", from the numbers billing
 * put in the answer's field errors (`cost`, `available`); null for any other error. */
export function creditsMessage(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 402) return null;
  const cost = error.fieldErrors.cost?.[0];
  const available = error.fieldErrors.available?.[0];
  if (cost === undefined || available === undefined) return error.message;
  return t.planner.ideas.needsCredits(Number(cost).toLocaleString(), Number(available).toLocaleString());
}

/** Any error of a started operation as one line for the form: the 402 in credits, else the message. */
export function startError(error: unknown): { message: string; requestId: string | null } {
  const requestId = error instanceof ApiError ? error.requestId : null;
  const credits = creditsMessage(error);
  if (credits) return { message: credits, requestId };
  if (error instanceof ApiError) {
    const fields = Object.entries(error.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(" ")}`);
    return { message: [error.message, ...fields].join(" "), requestId };
  }
  return { message: error instanceof Error ? error.message : t.errors.unknown, requestId };
}
