/**
 * The one client of the gateway's API: openapi-fetch over the generated `paths`, so a path,
 * a parameter or a body field the API does not have fails `tsc`.
 */
import createClient from "openapi-fetch";

import { apiErrorOf, networkError } from "./errors";
import type { Answer, Paths } from "./types";

/** Asks the gateway to keep the refresh token in its HttpOnly cookie (see refresh_cookie.py). */
export const REFRESH_COOKIE_HEADER = "X-IGNY8-Refresh-Cookie";

/** The routes that issue, spend or clear the refresh token: no Authorization header. */
const TOKEN_ROUTES = new Set<string>([
  "/api/v1/auth/register/",
  "/api/v1/auth/login/",
  "/api/v1/auth/refresh/",
  "/api/v1/auth/logout/",
]);

/** Empty: the API is on the app's own origin (served by the gateway, or Vite's proxy). */
const apiOrigin = (import.meta.env.VITE_API_URL as string | undefined) ?? "";

export const api = createClient<Paths>({
  baseUrl: apiOrigin || window.location.origin,
  // Looked up at call time (tests replace it).
  fetch: (request: Request) => globalThis.fetch(request),
  credentials: apiOrigin ? "include" : "same-origin",
});

export interface AuthHooks {
  /** A valid access token (refreshed first when it is about to expire), or null. */
  token(): Promise<string | null>;
  /** The API said 401 to a signed-in call: the session is over. */
  expired(): void;
}

let hooks: AuthHooks | null = null;

export function setAuthHooks(next: AuthHooks | null): void {
  hooks = next;
}

api.use({
  async onRequest({ request, schemaPath }) {
    if (TOKEN_ROUTES.has(schemaPath)) {
      request.headers.set(REFRESH_COOKIE_HEADER, "1");
      return request;
    }
    const token = hooks ? await hooks.token() : null;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !TOKEN_ROUTES.has(schemaPath)) hooks?.expired();
    return undefined;
  },
});

type Method = "get" | "put" | "post" | "patch" | "delete";

/**
 * The success answer of an openapi-fetch call, typed by `Answer<path, method>`; an error
 * answer (or no answer) is thrown as an `ApiError` with its field errors and request id.
 */
export async function call<P extends keyof Paths, M extends Method & keyof Paths[P]>(
  _path: P,
  _method: M,
  pending: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<Answer<P, M>> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (cause) {
    throw networkError(cause);
  }
  if (!result.response.ok) throw apiErrorOf(result.response, result.error);
  // The one place an answer meets its type: the one generated from the OpenAPI document.
  return result.data as Answer<P, M>;
}
