/**
 * What a role may do, for offering controls only: the gateway enforces the same matrix
 * (services/gateway/src/igny8_gateway/domain/policies.py) and answers 403 to anything else.
 */
import type { Role } from "./session";

const MANAGERS: ReadonlySet<Role> = new Set<Role>(["developer", "owner", "admin"]);

export const can = {
  manageSites: (role: Role): boolean => MANAGERS.has(role),
  manageSectors: (role: Role): boolean => MANAGERS.has(role),
  manageUsers: (role: Role): boolean => MANAGERS.has(role),
  /** Account-wide settings: the AI provider, prompt overrides. */
  manageAccount: (role: Role): boolean => MANAGERS.has(role),
  manageBilling: (role: Role): boolean => role === "developer" || role === "owner",
  writeContent: (role: Role): boolean => role !== "viewer",
};
