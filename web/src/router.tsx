import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from "@tanstack/react-router";

import { LoginPage, SignupPage } from "./auth/AuthPages";
import { session } from "./auth/session";
import { AppLayout } from "./shell/AppLayout";
import { ComingNext, NotFound } from "./shell/ComingNext";
import { COMING_NEXT } from "./shell/nav";

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

const validateAuthSearch = (search: Record<string, unknown>): { redirect?: string } =>
  typeof search.redirect === "string" ? { redirect: search.redirect } : {};

/** Where to go after signing in: the page asked for, if it is one of ours. */
function afterSignIn(target: string | undefined): string {
  return target?.startsWith("/") && !target.startsWith("//") && !target.startsWith("/login") ? target : "/";
}

/** Sign-in and sign-up pages: a signed-in visitor goes on to the app. */
function publicOnly({ search }: { search: { redirect?: string } }): void {
  if (session.getState().status === "signed-in") throw redirect({ href: afterSignIn(search.redirect), replace: true });
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: validateAuthSearch,
  beforeLoad: publicOnly,
  component: LoginPage,
});

const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  validateSearch: validateAuthSearch,
  beforeLoad: publicOnly,
  component: SignupPage,
});

/** Everything else needs a signed-in user; the others sign in first, then come back. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: ({ location }) => {
    if (session.getState().status !== "signed-in") {
      throw redirect({
        to: "/login",
        search: location.href === "/" ? {} : { redirect: location.href },
        replace: true,
      });
    }
  },
  component: AppLayout,
});

// Each module's pages are their own chunks (loaded when first opened).
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

const comingNextRoutes = COMING_NEXT.map((item) =>
  createRoute({
    getParentRoute: () => appRoute,
    path: item.to,
    component: () => <ComingNext page={item.label} />,
  }),
);

const routeTree = rootRoute.addChildren([
  loginRoute,
  signupRoute,
  appRoute.addChildren([homeRoute, sitesRoute, ...comingNextRoutes]),
]);

export const router = createRouter({ routeTree, defaultPreload: "intent", scrollRestoration: true });

// Signing in or out (here, in another tab, or by an expired session) re-runs the guards above.
session.subscribe(() => void router.invalidate());

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
