import { session } from "../auth/session";
import { answer, stubFetch } from "./render";

type Route = (request: Request, path: string) => Response | undefined | Promise<Response | undefined>;

/**
 * Signed in as `role` through the real session code, against a stubbed gateway: the login
 * answer is made here, every other request goes to `route` (nothing answered: 404). Returns
 * the requests made.
 */
export async function signInAs(role: string, route: Route): Promise<Request[]> {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  const seen = stubFetch(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/login/") {
      return answer(200, {
        success: true, message: null, request_id: "r",
        data: {
          access: `h.${payload}.s`,
          user: {
            id: `u-${role}`, account_id: "a1", email: `${role}@example.com`, first_name: "", last_name: "",
            role, is_active: true, created_at: "2026-01-01T00:00:00Z",
            account: { id: "a1", name: "Agency", plan_slug: "starter" },
          },
        },
      });
    }
    return (await route(request, path)) ?? answer(404, { success: false, error: "Not found.", request_id: "r" });
  });
  await session.signIn({ email: `${role}@example.com`, password: "x" });
  return seen;
}

/** A listing answer in the gateway's format. */
export function listing(results: unknown[], next: string | null = null) {
  return { success: true, count: results.length, next, previous: null, results, request_id: "r" };
}
