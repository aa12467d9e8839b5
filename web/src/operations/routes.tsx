/** The operations module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const operationsRoutes = [] as const;
