import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./shell/overrides.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { createQueryClient } from "./api/queryClient";
import { session } from "./auth/session";
import { useSession } from "./auth/useSession";
import { router } from "./router";
import { Loading } from "./shell/QueryState";
import { theme } from "./shell/theme";
import classes from "./shell/layout.module.css";

const queryClient = createQueryClient();

// Whoever signs out (here or in another tab), nothing of their data stays in the cache.
session.subscribe(() => {
  if (session.getState().status === "signed-out") queryClient.clear();
});

function App() {
  const state = useSession();
  if (state.status === "restoring") {
    return (
      <div className={classes.centered}>
        <Loading />
      </div>
    );
  }
  return <RouterProvider router={router} />;
}

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");

void session.restore();

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} withCssVariables={false} withGlobalClasses={false} defaultColorScheme="light">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
