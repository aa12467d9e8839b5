import { t } from "../i18n/strings";

export interface NavItem {
  to: string;
  label: string;
}

export interface NavModule {
  label: string;
  items: NavItem[];
}

/**
 * The sidebar, by module (the original's set of pages). An entry whose path no module's
 * routes.tsx defines yet shows "coming next" (router.tsx).
 */
export const NAV: NavModule[] = [
  { label: t.shell.home, items: [{ to: "/", label: t.shell.home }] },
  {
    label: t.shell.planner,
    items: [
      { to: "/planner/keywords", label: t.shell.keywords },
      { to: "/planner/clusters", label: t.shell.clusters },
      { to: "/planner/ideas", label: t.shell.ideas },
    ],
  },
  {
    label: t.shell.writer,
    items: [
      { to: "/writer/tasks", label: t.shell.tasks },
      { to: "/writer/content", label: t.shell.content },
      { to: "/writer/images", label: t.shell.images },
    ],
  },
  {
    label: t.shell.publishing,
    items: [
      { to: "/publishing/wordpress", label: t.shell.wordpress },
      { to: "/publishing/records", label: t.shell.records },
    ],
  },
  {
    label: t.shell.automation,
    items: [
      { to: "/automation", label: t.shell.automationRuns },
      { to: "/automation/rules", label: t.shell.automationRules },
    ],
  },
  {
    label: t.shell.billing,
    items: [
      { to: "/billing/balance", label: t.shell.balance },
      { to: "/billing/transactions", label: t.shell.transactions },
      { to: "/billing/usage", label: t.shell.usage },
    ],
  },
  {
    label: t.shell.settings,
    items: [
      { to: "/settings/sites", label: t.shell.sitesAndSectors },
      { to: "/settings/users", label: t.shell.users },
      { to: "/settings/ai", label: t.shell.aiProvider },
      { to: "/settings/prompts", label: t.shell.prompts },
      { to: "/settings/authors", label: t.shell.authors },
    ],
  },
];

