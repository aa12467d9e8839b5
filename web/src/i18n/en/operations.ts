/** The operations module's strings (English); see ../strings.ts. */
const KINDS: Record<string, string> = {
  "planner.keywords.import": "Keyword import",
  "planner.keywords.auto_cluster": "Keyword clustering",
  "planner.clusters.generate_ideas": "Idea generation",
  "writer.tasks.generate_content": "Article generation",
  "writer.tasks.generate_images": "Image generation",
  "writer.images.regenerate": "Image regeneration",
  "publisher.content.publish": "Publishing",
};

export const operations = {
  starting: "Starting…",
  state: {
    accepted: "Queued",
    running: "Running",
    succeeded: "Done",
    failed: "Failed",
    cancelled: "Cancelled",
  },
  kind: (kind: string) => KINDS[kind] ?? kind,
  tray: "Operations",
  trayButton: (running: number) => (running === 0 ? "Operations" : `Operations: ${running} running`),
  trayTitle: "Operations",
  trayEmpty: "Nothing running. Imports, clustering, generation and publishing show their progress here.",
  trayLoadFailed: "The running operations could not be loaded.",
  clearFinished: "Clear finished",
  streamOffline: "Live updates paused; reconnecting…",
  detailTitle: (kind: string) => kind,
  result: "Result",
  error: "Error",
  started: "Started",
  updated: "Last update",
  phase: "Phase",
  cost: "Credits charged",
  noResult: "No result details.",
  close: "Close",
} as const;
