/** The settings module's strings (English); see ../strings.ts. */
export const settings = {} as const;
