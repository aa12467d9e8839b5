import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

/** The planner module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const plannerRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/planner/keywords",
    component: lazyRouteComponent(() => import("./KeywordsPage"), "KeywordsPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/planner/clusters",
    component: lazyRouteComponent(() => import("./ClustersPage"), "ClustersPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/planner/ideas",
    component: lazyRouteComponent(() => import("./IdeasPage"), "IdeasPage"),
  }),
] as const;
