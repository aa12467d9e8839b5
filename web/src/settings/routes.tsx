import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

/** The settings module's pages (each a lazily loaded chunk), hung from the app shell's route.
 * (Sites & sectors is the sites module's page, /settings/sites.) */
export const settingsRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/settings/users",
    component: lazyRouteComponent(() => import("./UsersPage"), "UsersPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/settings/ai",
    component: lazyRouteComponent(() => import("./AiSettingsPage"), "AiSettingsPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/settings/prompts",
    component: lazyRouteComponent(() => import("./PromptsPage"), "PromptsPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/settings/authors",
    component: lazyRouteComponent(() => import("./AuthorsPage"), "AuthorsPage"),
  }),
] as const;
