import { planner } from "./en/planner";
import { writer } from "./en/writer";
import { publishing } from "./en/publishing";
import { billing } from "./en/billing";
import { settings } from "./en/settings";
import { operations } from "./en/operations";
import { automation } from "./en/automation";
import { home } from "./en/home";

/**
 * Every string the app shows, in one place (English). A translation is another object of the
 * same type (`Strings`); components read `t` and never hold literal text of their own.
 * Each module's strings are in `en/<module>.ts`.
 */
export const en = {
  app: {
    name: "IGNY8",
    loading: "Loading…",
    skipToContent: "Skip to content",
  },
  auth: {
    signInTitle: "Sign in to IGNY8",
    signUpTitle: "Create your IGNY8 account",
    email: "Email",
    password: "Password",
    passwordHint: "At least 10 characters, not a common password.",
    accountName: "Account (agency or company) name",
    firstName: "First name",
    lastName: "Last name",
    signIn: "Sign in",
    signUp: "Create account",
    signOut: "Sign out",
    noAccount: "No account yet?",
    createOne: "Create one",
    haveAccount: "Already have an account?",
    signInInstead: "Sign in",
    required: "Required",
    invalidEmail: "Enter an email address",
    sessionEnded: "Your session ended; sign in again.",
    signedOut: "You are signed out.",
  },
  shell: {
    navLabel: "Modules",
    home: "Home",
    planner: "Planner",
    keywords: "Keywords",
    clusters: "Clusters",
    ideas: "Ideas",
    writer: "Writer",
    tasks: "Tasks",
    content: "Content",
    images: "Images",
    publishing: "Publishing",
    wordpress: "WordPress",
    records: "Publishing records",
    automation: "Automation",
    automationRuns: "Runs & schedule",
    automationRules: "Rules",
    billing: "Billing",
    balance: "Balance",
    transactions: "Transactions",
    usage: "Usage",
    settings: "Settings",
    sitesAndSectors: "Sites & sectors",
    users: "Users & roles",
    aiProvider: "AI provider",
    prompts: "Prompts",
    authors: "Author profiles",
    site: "Site",
    sector: "Sector",
    noSites: "No site yet",
    allSectors: "All sectors",
    credits: (n: number) => `${n.toLocaleString()} credits`,
    creditsDetail: (available: number, plan: number, bonus: number, held: number) =>
      `Credits available: ${available.toLocaleString()} (plan ${plan.toLocaleString()}, bonus ${bonus.toLocaleString()}, held by running operations ${held.toLocaleString()})`,
    creditsUnknown: "Credits: –",
    role: (role: string) => `Role: ${role}`,
    comingNextTitle: (page: string) => `${page} is coming next`,
    comingNextBody:
      "This page is not in the app yet. Everything it will show already works through the API (see /docs); the app gets it in a coming release.",
    openApiDocs: "Open the API documentation",
    notFoundTitle: "Page not found",
    notFoundBody: "There is no page at this address.",
    backHome: "Back to Home",
    homeTitle: "Welcome to IGNY8",
    homeIntro:
      "Start by adding a site and its sectors (topics); the Planner, Writer and Publishing pages work inside the site and sector chosen at the top.",
    homeNoSite: "You have no site yet.",
    homeAddSite: "Add your first site",
    homeSites: (n: number) => (n === 1 ? "1 site" : `${n} sites`),
  },
  errors: {
    title: "Something went wrong",
    requestId: (id: string) => `Request id: ${id}`,
    network: "The server could not be reached. Check your connection and try again.",
    forbidden: "Your role does not allow this.",
    unknown: "Unexpected error.",
    retry: "Try again",
    dismiss: "Dismiss",
  },
  sites: {
    title: "Sites & sectors",
    intro: "A site has up to five active sectors (topics); keywords, content and publishing live inside a sector.",
    addSite: "Add site",
    editSite: "Edit site",
    deleteSite: "Delete site",
    name: "Name",
    domain: "Domain",
    domainHint: "e.g. example.com (optional)",
    active: "Active",
    inactive: "Inactive",
    status: "Status",
    actions: "Actions",
    save: "Save",
    edit: "Edit",
    delete: "Delete",
    cancel: "Cancel",
    close: "Close",
    create: "Create",
    empty: "No site yet.",
    emptyHint: "Add a site to start planning content for it.",
    emptyReadOnly: "No site has been shared with you yet. Ask an owner or admin of your account.",
    loadFailed: "The sites could not be loaded.",
    created: (name: string) => `Site “${name}” created.`,
    updated: (name: string) => `Site “${name}” saved.`,
    deleted: (name: string) => `Site “${name}” deleted.`,
    confirmDelete: (name: string) =>
      `Delete “${name}” with its sectors and access grants? This cannot be undone.`,
    readOnly: "Only owners and admins can add, change or delete sites and sectors.",
    sectors: "Sectors",
    sectorsOf: (site: string) => `Sectors of ${site}`,
    addSector: "Add sector",
    editSector: "Edit sector",
    deleteSector: "Delete sector",
    sectorName: "Sector name",
    noSectors: "No sector yet.",
    sectorsLoadFailed: "The sectors could not be loaded.",
    sectorCreated: (name: string) => `Sector “${name}” created.`,
    sectorUpdated: (name: string) => `Sector “${name}” saved.`,
    sectorDeleted: (name: string) => `Sector “${name}” deleted.`,
    confirmDeleteSector: (name: string) => `Delete the sector “${name}”? This cannot be undone.`,
    editNamed: (name: string) => `Edit ${name}`,
    deleteNamed: (name: string) => `Delete ${name}`,
    sectorsCount: (n: number) => (n === 1 ? "1 sector" : `${n} sectors`),
    manageSectors: (name: string) => `Sectors of ${name}`,
  },
  planner,
  writer,
  publishing,
  billing,
  settings,
  operations,
  automation,
  home,
} as const;

type Widen<T> = T extends (...args: infer A) => string
  ? (...args: A) => string
  : T extends string
    ? string
    : { readonly [K in keyof T]: Widen<T[K]> };

/** The shape every translation has. */
export type Strings = Widen<typeof en>;

/** The strings in use (one language today). */
export const t: Strings = en;
