import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Navigate,
  Outlet,
} from "@tanstack/react-router";

import { LoginPage, SignupPage } from "./auth/AuthPages";
import { useSession } from "./auth/useSession";
import { AppLayout } from "./shell/AppLayout";
import { ComingNext, NotFound } from "./shell/ComingNext";
import { COMING_NEXT } from "./shell/nav";

function PublicOnly({ children }: { children: React.ReactNode }) {
  const state = useSession();
  if (state.status === "signed-in") return <Navigate to="/" replace />;
  return <>{children}</>;
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

const validateAuthSearch = (search: Record<string, unknown>): { redirect?: string } =>
  typeof search.redirect === "string" ? { redirect: search.redirect } : {};

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: validateAuthSearch,
  component: () => (
    <PublicOnly>
      <LoginPage />
    </PublicOnly>
  ),
});

const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  validateSearch: validateAuthSearch,
  component: () => (
    <PublicOnly>
      <SignupPage />
    </PublicOnly>
  ),
});

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: AppLayout });

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

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
