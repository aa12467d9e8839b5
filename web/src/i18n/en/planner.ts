/** The planner module's strings (English); see ../strings.ts. */
export const planner = {} as const;
