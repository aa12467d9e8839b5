import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

/** The publishing module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const publishingRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/publishing/wordpress",
    component: lazyRouteComponent(() => import("./WordPressPage"), "WordPressPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/publishing/records",
    component: lazyRouteComponent(() => import("./RecordsPage"), "RecordsPage"),
  }),
] as const;
