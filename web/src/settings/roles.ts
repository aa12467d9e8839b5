/**
 * Which roles an actor may give and to whom, for offering controls only: the gateway enforces
 * the same rules (services/gateway/src/igny8_gateway/domain/policies.py) and refuses the rest.
 */
import { can } from "../auth/permissions";
import type { Role, User } from "./api";

/** The roles customers give through the API (developer and system bot are system-wide). */
const ASSIGNABLE: readonly Role[] = ["owner", "admin", "editor", "viewer"];
const SYSTEM: ReadonlySet<Role> = new Set<Role>(["developer", "system_bot"]);

/** The roles `actor` may give (only owners make owners). */
export function assignableRoles(actor: Role): Role[] {
  if (!can.manageUsers(actor)) return [];
  return ASSIGNABLE.filter((role) => role !== "owner" || actor === "owner" || actor === "developer");
}

/** Whether `actor` may change or deactivate a user who is `target` (never themselves). */
export function canManageUser(actor: Role, target: Role, self: boolean): boolean {
  if (self || !can.manageUsers(actor)) return false;
  if (SYSTEM.has(target)) return actor === "developer";
  if (target === "owner") return actor === "owner" || actor === "developer";
  return true;
}

/** Roles that see only granted sites, and so can be granted one. */
export const GRANTABLE: ReadonlySet<Role> = new Set<Role>(["editor", "viewer"]);

/** How a user is named in lists: their name, else their email. */
export const displayName = (user: User): string =>
  [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
