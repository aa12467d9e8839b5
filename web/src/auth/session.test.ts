import { afterEach, describe, expect, it, vi } from "vitest";

import { answer, stubFetch } from "../test/render";
import { expiryOf, Session } from "./session";

function token(secondsLeft: number): string {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + secondsLeft }));
  return `h.${payload}.s`;
}

const user = {
  id: "u1", account_id: "a1", email: "a@example.com", first_name: "", last_name: "", role: "owner",
  is_active: true, created_at: "2026-01-01T00:00:00Z", account: { id: "a1", name: "Agency", plan_slug: "starter" },
};

function signedIn(secondsLeft: number) {
  return answer(200, { success: true, message: null, request_id: "r", data: { access: token(secondsLeft), user } });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Session", () => {
  it("reads a token's expiry", () => {
    const exp = Math.floor(Date.now() / 1000) + 900;
    expect(expiryOf(token(900))).toBe(exp * 1000);
    expect(expiryOf("not-a-jwt")).toBe(0);
  });

  it("refreshes silently a minute before the access token expires, through the cookie", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const requests = stubFetch((request) =>
      new URL(request.url).pathname === "/api/v1/auth/login/" ? signedIn(120) : signedIn(900),
    );
    const session = new Session();
    await session.signIn({ email: "a@example.com", password: "x" });
    expect(requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(59_000);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(requests).toHaveLength(2);
    const refresh = requests[1];
    expect(new URL(refresh?.url ?? "").pathname).toBe("/api/v1/auth/refresh/");
    expect(refresh?.headers.get("X-IGNY8-Refresh-Cookie")).toBe("1");
    expect(refresh?.headers.get("Authorization")).toBeNull();
    // The body names no token: the gateway puts the HttpOnly cookie's there.
    expect(await refresh?.json()).toEqual({ refresh: "" });
    expect(session.getState().status).toBe("signed-in");
  });

  it("spends the cookie once when several callers need a fresh token at the same time", async () => {
    const requests = stubFetch(() => signedIn(900));
    const session = new Session();
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(requests).toHaveLength(1);
  });

  it("a refused refresh (a spent or revoked token) signs out with a notice", async () => {
    let refused = false;
    stubFetch((request) => {
      if (new URL(request.url).pathname === "/api/v1/auth/login/") return signedIn(900);
      refused = true;
      return answer(401, { success: false, error: "Invalid or expired refresh token; sign in again.", request_id: "r" });
    });
    const session = new Session();
    await session.signIn({ email: "a@example.com", password: "x" });
    expect(await session.refresh()).toBe(false);
    expect(refused).toBe(true);
    const state = session.getState();
    expect(state.status).toBe("signed-out");
    expect(state.status === "signed-out" && state.notice).toBeTruthy();
  });

  it("restores no session on a first visit (no cookie)", async () => {
    stubFetch(() => answer(400, { success: false, error: "Invalid input.", errors: { refresh: ["too short"] }, request_id: "r" }));
    const session = new Session();
    await session.restore();
    expect(session.getState()).toEqual({ status: "signed-out", notice: null });
  });
});
