import { diffWordsWithSpace, type Change } from "diff";

/** The visible text of an article's HTML, one block (paragraph, heading, item…) a line. */
export function textOf(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const blocks = Array.from(doc.body.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,blockquote,figcaption,pre,td,th,dt,dd"));
  const leaves = blocks.filter((block) => !blocks.some((other) => other !== block && block.contains(other)));
  const lines = (leaves.length > 0 ? leaves : [doc.body]).map((el) => (el.textContent || "").replace(/\s+/g, " ").trim());
  return lines.filter(Boolean).join("\n");
}

export interface VersionText {
  title: string;
  html: string;
}

/** Word-level changes between two versions (title first, then the body's text). */
export function versionChanges(before: VersionText, after: VersionText): Change[] {
  return diffWordsWithSpace(`${before.title}\n\n${textOf(before.html)}`, `${after.title}\n\n${textOf(after.html)}`);
}

export function countWords(changes: Change[], kind: "added" | "removed"): number {
  return changes
    .filter((c) => (kind === "added" ? c.added : c.removed))
    .reduce((n, c) => n + c.value.split(/\s+/).filter(Boolean).length, 0);
}
