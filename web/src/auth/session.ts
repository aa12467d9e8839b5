/**
 * The signed-in session. The access token lives in this module's memory only; the refresh
 * token lives in the gateway's HttpOnly cookie, which page scripts cannot read. A reload
 * restores the session by spending the cookie (`restore`).
 *
 * Silent refresh: a timer refreshes a minute before the access token expires, and every API
 * call refreshes first when the token is within 30 s of expiry (a background tab's timers may
 * have been throttled). Refreshes are serialised across tabs with the Web Locks API, since the
 * cookie rotates on each use and a spent token presented again revokes the whole sign-in (and
 * signs this user out everywhere, by design). Signing out in one tab signs out the others.
 */
import { api, call, setAuthHooks } from "../api/client";
import type { Answer, RequestBody } from "../api/types";
import { t } from "../i18n/strings";

type SignedIn = Answer<"/api/v1/auth/login/", "post">["data"];
export type Profile = SignedIn["user"];
export type Role = Profile["role"];

export type SessionState =
  | { status: "restoring" }
  | { status: "signed-out"; notice: string | null }
  | { status: "signed-in"; user: Profile };

const REFRESH_AHEAD_MS = 60_000;
const REFRESH_IF_WITHIN_MS = 30_000;
const LOCK = "igny8-refresh";
const CHANNEL = "igny8-session";

/** `exp` of a JWT (seconds → ms), without verifying it (the gateway does). */
export function expiryOf(token: string): number {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return work();
  return locks.request(LOCK, work);
}

export class Session {
  private state: SessionState = { status: "restoring" };
  private access: string | null = null;
  private expiresAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel !== "undefined" ? new BroadcastChannel(CHANNEL) : null;

  constructor() {
    this.channel?.addEventListener("message", (event: MessageEvent) => {
      if (event.data === "signed-out" && this.state.status === "signed-in") this.clear(t.auth.signedOut);
    });
    setAuthHooks({
      token: () => this.validToken(),
      expired: () => {
        if (this.state.status === "signed-in") this.clear(t.auth.sessionEnded);
      },
    });
  }

  // ------------------------------------------------------------------ React subscription
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  private set(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  // ------------------------------------------------------------------ sign in / out
  async signIn(body: RequestBody<"/api/v1/auth/login/", "post">): Promise<void> {
    const answer = await call("/api/v1/auth/login/", "post", api.POST("/api/v1/auth/login/", { body }));
    this.accept(answer.data);
  }

  async signUp(body: RequestBody<"/api/v1/auth/register/", "post">): Promise<void> {
    const answer = await call("/api/v1/auth/register/", "post", api.POST("/api/v1/auth/register/", { body }));
    this.accept(answer.data);
  }

  /** Revoke this sign-in at the gateway (which clears the cookie), then forget it here. */
  async signOut(): Promise<void> {
    try {
      await call("/api/v1/auth/logout/", "post", api.POST("/api/v1/auth/logout/", { body: { refresh: "" } }));
    } catch {
      // Already revoked or expired (or the gateway is unreachable): signed out here all the same.
    }
    this.clear(t.auth.signedOut);
    this.channel?.postMessage("signed-out");
  }

  /** On start: a session survives a reload through the refresh cookie. */
  async restore(): Promise<void> {
    const ok = await this.refresh();
    if (!ok && this.state.status === "restoring") this.set({ status: "signed-out", notice: null });
  }

  // ------------------------------------------------------------------ tokens
  /** Spend the refresh cookie for a new pair (one at a time, across tabs). */
  refresh(): Promise<boolean> {
    this.refreshing ??= withLock(async () => {
      try {
        // `refresh` is left empty: the gateway fills it from the HttpOnly cookie.
        const answer = await call(
          "/api/v1/auth/refresh/",
          "post",
          api.POST("/api/v1/auth/refresh/", { body: { refresh: "" } }),
        );
        this.accept(answer.data);
        return true;
      } catch {
        if (this.state.status === "signed-in") this.clear(t.auth.sessionEnded);
        return false;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async validToken(): Promise<string | null> {
    if (this.access && this.expiresAt - Date.now() < REFRESH_IF_WITHIN_MS) await this.refresh();
    return this.access;
  }

  private accept(signedIn: SignedIn): void {
    this.access = signedIn.access;
    this.expiresAt = expiryOf(signedIn.access);
    this.schedule();
    this.set({ status: "signed-in", user: signedIn.user });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(5_000, this.expiresAt - Date.now() - REFRESH_AHEAD_MS);
    this.timer = setTimeout(() => void this.refresh(), wait);
  }

  private clear(notice: string | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.access = null;
    this.expiresAt = 0;
    this.set({ status: "signed-out", notice });
  }
}

export const session = new Session();
