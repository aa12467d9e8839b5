import { session } from "../auth/session";
import { answer, stubFetch } from "./render";

/** A page of a listing in the gateway's format. */
export function listing(results: unknown[]) {
  return { success: true, count: results.length, next: null, previous: null, results, request_id: "r" };
}

/** One object in the gateway's `Ok` format. */
export function ok(data: unknown, message: string | null = null) {
  return { success: true, message, request_id: "r", data };
}

type Route = (request: Request) => Response | Promise<Response>;

/**
 * Sign in as `role` against a stubbed API: the login answers a user of that role; any other
 * call goes to `routes[path]` (or `routes["METHOD path"]`, which wins), else 404. Returns the
 * requests made.
 */
export async function signInAs(role: string, routes: Record<string, Route>): Promise<Request[]> {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  const seen = stubFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/login/") {
      return answer(
        200,
        ok({
          access: `h.${payload}.s`,
          user: {
            id: `u-${role}`,
            account_id: "a1",
            email: `${role}@example.com`,
            first_name: "",
            last_name: "",
            role,
            is_active: true,
            created_at: "2026-01-01T00:00:00Z",
            account: { id: "a1", name: "Agency", plan_slug: "starter" },
          },
        }),
      );
    }
    const route = routes[`${request.method} ${path}`] ?? routes[path];
    return route ? route(request) : answer(404, { success: false, error: "Not found.", request_id: "r" });
  });
  await session.signIn({ email: `${role}@example.com`, password: "x" });
  return seen;
}
