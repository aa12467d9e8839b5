/** The publishing module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const publishingRoutes = [] as const;
