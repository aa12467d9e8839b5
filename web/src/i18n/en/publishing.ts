/** The publishing module's strings (English); see ../strings.ts. */
export const publishing = {} as const;
