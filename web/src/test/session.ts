/**
 * Signing a test in with a role, against a stubbed gateway: `routes` answers by
 * "METHOD /path/" (or "/path/" for any method); anything else is a 404. Returns the requests
 * made, for asserting what was sent.
 */
import { session } from "../auth/session";
import { answer, stubFetch } from "./render";

export type Routes = Record<string, (request: Request) => Response | Promise<Response>>;

/** The other way to answer: one function of the request and its path (nothing: 404). */
export type Router = (request: Request, path: string) => Response | undefined | Promise<Response | undefined>;

export const ACCOUNT_ID = "a1";

/** A page of a listing in the gateway's format. */
export function listing(results: unknown[]) {
  return { success: true, count: results.length, next: null, previous: null, results, request_id: "r" };
}

/** One object in the gateway's `Ok` format. */
export function ok(data: unknown, message: string | null = null) {
  return { success: true, data, message, request_id: "r" };
}

/** Sign in as `role` (the login answers a user of that role); `routes["METHOD path"]` wins
 * over `routes[path]`. The login itself is not among the requests returned. */
export async function signInAs(role: string, routes: Routes | Router): Promise<Request[]> {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  const requests = stubFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/login/") {
      return answer(200, ok({
        access: `h.${payload}.s`,
        user: {
          id: `u-${role}`, account_id: ACCOUNT_ID, email: `${role}@example.com`, first_name: "", last_name: "",
          role, is_active: true, created_at: "2026-01-01T00:00:00Z",
          account: { id: ACCOUNT_ID, name: "Agency", plan_slug: "free" },
        },
      }));
    }
    const answered =
      typeof routes === "function" ? routes(request, path) : (routes[`${request.method} ${path}`] ?? routes[path])?.(request);
    return Promise.resolve(answered).then(
      (response) => response ?? answer(404, { success: false, error: "Not found.", request_id: "r" }),
    );
  });
  await session.signIn({ email: `${role}@example.com`, password: "x" });
  requests.length = 0;
  return requests;
}
