/**
 * The routes every module hangs its pages from: the root, the public sign-in and sign-up
 * pages, and `appRoute` (signed-in users only, inside the app shell). A module's pages are
 * `createRoute({ getParentRoute: () => appRoute, ... })` in its own `routes.tsx`.
 */
import { createRootRoute, createRoute, Outlet, redirect } from "@tanstack/react-router";

import { LoginPage, SignupPage } from "../auth/AuthPages";
import { session } from "../auth/session";
import { AppLayout } from "./AppLayout";
import { NotFound } from "./ComingNext";

export const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

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

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: validateAuthSearch,
  beforeLoad: publicOnly,
  component: LoginPage,
});

export const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  validateSearch: validateAuthSearch,
  beforeLoad: publicOnly,
  component: SignupPage,
});

/** Everything else needs a signed-in user; the others sign in first, then come back. */
export const appRoute = createRoute({
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
