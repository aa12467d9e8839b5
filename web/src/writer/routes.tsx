import { createRoute, lazyRouteComponent } from "@tanstack/react-router";

import { appRoute } from "../shell/rootRoutes";

/** The writer module's pages (each a lazily loaded chunk), hung from the app shell's route.
 * Only the article editor's chunk carries TipTap. */
export const writerRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/writer/tasks",
    component: lazyRouteComponent(() => import("./TasksPage"), "TasksPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/writer/content",
    component: lazyRouteComponent(() => import("./ContentPage"), "ContentPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/writer/content/$contentId",
    component: lazyRouteComponent(() => import("./EditorPage"), "EditorPage"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/writer/images",
    component: lazyRouteComponent(() => import("./ImagesPage"), "ImagesPage"),
  }),
] as const;
