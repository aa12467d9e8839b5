import { t } from "../i18n/strings";

export type FieldErrors = Record<string, string[]>;

/** A failed API call in the unified format: message, field errors, request id. */
export class ApiError extends Error {
  readonly status: number;
  readonly fieldErrors: FieldErrors;
  readonly requestId: string | null;

  constructor(status: number, message: string, fieldErrors: FieldErrors = {}, requestId: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.requestId = requestId;
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).some((k) => k !== "non_field_errors");
  }

  /** Errors not tied to a field (shown above the form). */
  get formErrors(): string[] {
    return this.fieldErrors.non_field_errors ?? [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrorsOf(value: unknown): FieldErrors {
  if (!isRecord(value)) return {};
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) out[key] = messages.map(String);
    else if (typeof messages === "string") out[key] = [messages];
  }
  return out;
}

/** The ApiError for an error answer (its body as parsed by openapi-fetch, or nothing). */
export function apiErrorOf(response: Response, body: unknown): ApiError {
  const requestId =
    response.headers.get("x-request-id") ?? (isRecord(body) && typeof body.request_id === "string" ? body.request_id : null);
  if (isRecord(body) && typeof body.error === "string") {
    return new ApiError(response.status, body.error, fieldErrorsOf(body.errors), requestId);
  }
  const fallback = response.status === 403 ? t.errors.forbidden : `${t.errors.unknown} (HTTP ${response.status})`;
  return new ApiError(response.status, fallback, {}, requestId);
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError(0, t.errors.network);
  error.cause = cause;
  return error;
}
