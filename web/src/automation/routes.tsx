/** The automation module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const automationRoutes = [] as const;
