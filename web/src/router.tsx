import { createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";

import { session } from "./auth/session";
import { automationRoutes } from "./automation/routes";
import { billingRoutes } from "./billing/routes";
import { operationsRoutes } from "./operations/routes";
import { plannerRoutes } from "./planner/routes";
import { publishingRoutes } from "./publishing/routes";
import { settingsRoutes } from "./settings/routes";
import { ComingNext } from "./shell/ComingNext";
import { NAV } from "./shell/nav";
import { appRoute, loginRoute, rootRoute, signupRoute } from "./shell/rootRoutes";
import { writerRoutes } from "./writer/routes";

// Each module's pages are their own chunks (loaded when first opened): see its routes.tsx.
const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./home/HomePage"), "HomePage"),
});

const sitesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/sites",
  component: lazyRouteComponent(() => import("./sites/SitesPage"), "SitesPage"),
});

const pages = [
  homeRoute,
  sitesRoute,
  ...plannerRoutes,
  ...writerRoutes,
  ...publishingRoutes,
  ...billingRoutes,
  ...settingsRoutes,
  ...operationsRoutes,
  ...automationRoutes,
];

/** A sidebar entry with no page of its own yet says so plainly. (The pages hang from the
 * path-less app route, so a page's own path is its full path; `fullPath` itself is only
 * known once the tree is built.) */
const pathOf = ({ options }: { options: object }): string =>
  "path" in options && typeof options.path === "string" ? `/${options.path.replace(/^\//, "")}` : "";
const built = new Set<string>(pages.map(pathOf));
const comingNextRoutes = NAV.flatMap((module) => module.items)
  .filter((item) => !built.has(item.to))
  .map((item) =>
    createRoute({
      getParentRoute: () => appRoute,
      path: item.to,
      component: () => <ComingNext page={item.label} />,
    }),
  );

const routeTree = rootRoute.addChildren([loginRoute, signupRoute, appRoute.addChildren([...pages, ...comingNextRoutes])]);

export const router = createRouter({ routeTree, defaultPreload: "intent", scrollRestoration: true });

// Signing in or out (here, in another tab, or by an expired session) re-runs the guards above.
session.subscribe(() => void router.invalidate());

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
