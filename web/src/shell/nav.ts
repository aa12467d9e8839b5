import { t } from "../i18n/strings";

export interface NavItem {
  to: string;
  label: string;
  /** Built pages have a component of their own; the others show "coming next". */
  built: boolean;
}

export interface NavModule {
  label: string;
  items: NavItem[];
}

/** The sidebar, by module (the original's set of pages). */
export const NAV: NavModule[] = [
  { label: t.shell.home, items: [{ to: "/", label: t.shell.home, built: true }] },
  {
    label: t.shell.planner,
    items: [
      { to: "/planner/keywords", label: t.shell.keywords, built: false },
      { to: "/planner/clusters", label: t.shell.clusters, built: false },
      { to: "/planner/ideas", label: t.shell.ideas, built: false },
    ],
  },
  {
    label: t.shell.writer,
    items: [
      { to: "/writer/tasks", label: t.shell.tasks, built: false },
      { to: "/writer/content", label: t.shell.content, built: false },
      { to: "/writer/images", label: t.shell.images, built: false },
    ],
  },
  {
    label: t.shell.publishing,
    items: [
      { to: "/publishing/wordpress", label: t.shell.wordpress, built: false },
      { to: "/publishing/records", label: t.shell.records, built: false },
    ],
  },
  {
    label: t.shell.billing,
    items: [
      { to: "/billing/balance", label: t.shell.balance, built: false },
      { to: "/billing/transactions", label: t.shell.transactions, built: false },
      { to: "/billing/usage", label: t.shell.usage, built: false },
    ],
  },
  {
    label: t.shell.settings,
    items: [
      { to: "/settings/sites", label: t.shell.sitesAndSectors, built: true },
      { to: "/settings/users", label: t.shell.users, built: false },
      { to: "/settings/ai", label: t.shell.aiProvider, built: false },
      { to: "/settings/prompts", label: t.shell.prompts, built: false },
      { to: "/settings/authors", label: t.shell.authors, built: false },
    ],
  },
];

export const COMING_NEXT: NavItem[] = NAV.flatMap((m) => m.items).filter((i) => !i.built);
