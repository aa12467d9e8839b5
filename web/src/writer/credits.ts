import { ApiError } from "../api/errors";

export interface Shortfall {
  needed: number;
  available: number;
}

function firstNumber(messages: string[] | undefined): number | null {
  const value = messages?.[0];
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A 402's "needs X credits, you have Y", from its body's `cost` and `available`; null for
 * any other error (or a 402 without them). */
export function shortfallOf(error: unknown): Shortfall | null {
  if (!(error instanceof ApiError) || error.status !== 402) return null;
  const needed = firstNumber(error.fieldErrors.cost);
  const available = firstNumber(error.fieldErrors.available);
  return needed === null || available === null ? null : { needed, available };
}
