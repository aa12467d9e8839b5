/** The automation module's pages (each a lazily loaded chunk), hung from the app shell's route. */
import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

const automationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/automation",
  component: lazyRouteComponent(() => import("./AutomationPage"), "AutomationPage"),
});

export const automationRoutes = [automationRoute] as const;
