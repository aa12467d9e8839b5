import { Button, NavLink, Text } from "@mantine/core";
import { Link, Outlet, useLocation } from "@tanstack/react-router";
import { lazy, Suspense } from "react";

import { session } from "../auth/session";
import { useSession } from "../auth/useSession";
import { t } from "../i18n/strings";
import { WorkspaceProvider } from "../sites/workspace";
import { CreditsBadge } from "./CreditsBadge";
import classes from "./layout.module.css";
import { NAV } from "./nav";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

// The tray (and the event stream it reads) is its own chunk, so the first route stays small.
const OperationsTray = lazy(() => import("../operations/OperationsTray").then((m) => ({ default: m.OperationsTray })));

function Sidebar() {
  const { pathname } = useLocation();
  return (
    <nav className={classes.nav} aria-label={t.shell.navLabel}>
      {NAV.map((module) => {
        const headingId = `nav-${module.label.toLowerCase().replace(/\W+/g, "-")}`;
        return (
          <section key={module.label} aria-labelledby={headingId}>
            <h2 id={headingId} className={classes.navHeading}>
              {module.label}
            </h2>
            <ul className={classes.navGroup}>
              {module.items.map((item) => (
                <li key={item.to}>
                  <NavLink
                    component={Link}
                    to={item.to}
                    label={item.label}
                    active={pathname === item.to}
                    aria-current={pathname === item.to ? "page" : undefined}
                  />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

function UserBox() {
  const state = useSession();
  if (state.status !== "signed-in") return null;
  const { user } = state;
  return (
    <div>
      <Text size="sm" fw={500}>
        {user.email}
      </Text>
      <Text size="xs" c="dimmed">
        {user.account.name} · {t.shell.role(user.role)}
      </Text>
    </div>
  );
}

/** The signed-in app: brand, header (site/sector, credits, account), sidebar, page. */
export function AppLayout() {
  const state = useSession();
  // The route's guard redirects; this covers the render between a sign-out and that redirect.
  if (state.status !== "signed-in") return null;
  return (
    <WorkspaceProvider>
      <a className={classes.skip} href="#main">
        {t.app.skipToContent}
      </a>
      <div className={classes.frame}>
        <header className={classes.header}>
          <Link to="/" className={classes.brand}>
            {t.app.name}
          </Link>
          <WorkspaceSwitcher />
          <div className={classes.headerSpacer} />
          <Suspense fallback={null}>
            <OperationsTray />
          </Suspense>
          <CreditsBadge />
          <UserBox />
          <Button variant="subtle" size="xs" onClick={() => void session.signOut()}>
            {t.auth.signOut}
          </Button>
        </header>
        <Sidebar />
        <main id="main" className={classes.main} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </WorkspaceProvider>
  );
}
