/**
 * TEMPORARY: the answers of the few routes this app reads whose OpenAPI entry does not yet
 * declare a response model (today every gateway route answers `{}` in /openapi.json; the
 * typed-edge work is adding response models to each of them).
 *
 * `Answer<Path, Method>` (./types.ts) takes the generated type as soon as the snapshot
 * (web/openapi.json) declares one, and `tsc` then refuses this file until the entry for that
 * route is deleted (see `staleEntries` in ./types.ts): nothing here can outlive the contract.
 * Shapes follow services/gateway/src/igny8_gateway/entrypoints/views.py and the unified
 * response format (libs/runtime/src/igny8_runtime/responses.py).
 */

export interface Envelope<T> {
  success: true;
  data: T;
  message: string | null;
  request_id: string;
}

export interface Listing<T> {
  success: true;
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
  request_id: string;
}

interface AccountView {
  id: string;
  name: string;
  plan_slug: string;
}

interface ProfileView {
  id: string;
  account_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: "developer" | "owner" | "admin" | "editor" | "viewer" | "system_bot";
  is_active: boolean;
  created_at: string;
  account: AccountView;
}

interface SignedInView {
  access: string;
  /** Absent when the gateway moved it into the HttpOnly cookie (the web app's case). */
  refresh?: string;
  user: ProfileView;
}

interface SiteView {
  id: string;
  account_id: string;
  name: string;
  domain: string | null;
  is_active: boolean;
  created_at: string;
}

interface SectorView {
  id: string;
  account_id: string;
  site_id: string;
  name: string;
  is_active: boolean;
  created_at: string;
}

interface BalanceView {
  account_id: string;
  plan_slug: string;
  plan_credits: number;
  bonus_credits: number;
  total_credits: number;
  held_credits: number;
  open_holds: number;
  available_credits: number;
  period_start: string;
  period_end: string;
}

export interface Pending {
  "/api/v1/auth/register/": { post: Envelope<SignedInView> };
  "/api/v1/auth/login/": { post: Envelope<SignedInView> };
  "/api/v1/auth/refresh/": { post: Envelope<SignedInView> };
  "/api/v1/auth/logout/": { post: Envelope<null> };
  "/api/v1/auth/me/": { get: Envelope<ProfileView> };
  "/api/v1/auth/sites/": { get: Listing<SiteView>; post: Envelope<SiteView> };
  "/api/v1/auth/sites/{site_id}/": { patch: Envelope<SiteView>; delete: Envelope<null> };
  "/api/v1/auth/sectors/": { get: Listing<SectorView>; post: Envelope<SectorView> };
  "/api/v1/auth/sectors/{sector_id}/": { patch: Envelope<SectorView>; delete: Envelope<null> };
  "/api/v1/billing/balance/": { get: Envelope<BalanceView> };
}
