/** The automation module's strings (English); see ../strings.ts. */
export const automation = {} as const;
