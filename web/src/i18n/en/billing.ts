/** The billing module's strings (English); see ../strings.ts. */
export const billing = {} as const;
