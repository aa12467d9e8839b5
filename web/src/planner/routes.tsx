/** The planner module's pages (each a lazily loaded chunk), hung from the app shell's route. */
export const plannerRoutes = [] as const;
