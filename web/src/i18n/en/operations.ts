/** The operations module's strings (English); see ../strings.ts. */
export const operations = {
  starting: "Starting…",
  state: {
    accepted: "Queued",
    running: "Running",
    succeeded: "Done",
    failed: "Failed",
    cancelled: "Cancelled",
  },
} as const;
