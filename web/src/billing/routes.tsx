import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

/** The billing module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const billingRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/billing/balance",
    component: lazyRouteComponent(() => import("./BalancePage"), "BalancePage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/billing/transactions",
    component: lazyRouteComponent(() => import("./TransactionsPage"), "TransactionsPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/billing/usage",
    component: lazyRouteComponent(() => import("./UsagePage"), "UsagePage"),
  }),
] as const;
