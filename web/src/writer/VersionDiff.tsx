import { Stack, Text, VisuallyHidden } from "@mantine/core";
import { useMemo } from "react";

import { t } from "../i18n/strings";
import { countWords, versionChanges, type VersionText } from "./diffText";
import classes from "./writer.module.css";

/** Text around a change is kept; a long unchanged stretch is cut in its middle. */
const CONTEXT = 160;

function unchanged(text: string, first: boolean, last: boolean): string {
  if (text.length <= CONTEXT * 2 + 20) return text;
  const head = first ? "" : text.slice(0, CONTEXT);
  const tail = last ? "" : text.slice(-CONTEXT);
  return `${head} … ${tail}`;
}

/**
 * What changed between two versions, word by word: additions underlined, removals struck
 * through, each also named for screen readers ("Added", "Removed") — never colour alone.
 */
export function VersionDiff({ from, to, before, after }: { from: number; to: number; before: VersionText; after: VersionText }) {
  const changes = useMemo(() => versionChanges(before, after), [before, after]);
  const added = countWords(changes, "added");
  const removed = countWords(changes, "removed");
  const headingId = `diff-${from}-${to}`;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} data-testid="version-diff">
      <Text fw={600} id={headingId}>
        {t.writer.diffTitle(from, to)}
      </Text>
      {added === 0 && removed === 0 ? (
        <Text size="sm">{t.writer.noDifference}</Text>
      ) : (
        <>
          <Text size="sm" data-testid="diff-summary">
            {t.writer.diffSummary(added, removed)}
          </Text>
          <div className={classes.diff}>
            {changes.map((change, i) =>
              change.added ? (
                <ins key={i} className={classes.added}>
                  <VisuallyHidden>{`${t.writer.added}: `}</VisuallyHidden>
                  {change.value}
                </ins>
              ) : change.removed ? (
                <del key={i} className={classes.removed}>
                  <VisuallyHidden>{`${t.writer.removed}: `}</VisuallyHidden>
                  {change.value}
                </del>
              ) : (
                <span key={i}>{unchanged(change.value, i === 0, i === changes.length - 1)}</span>
              ),
            )}
          </div>
        </>
      )}
    </Stack>
  );
}
