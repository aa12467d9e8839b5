/** The writer module's strings (English); see ../strings.ts. */
export const writer = {} as const;
