import { Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";

import { t } from "../i18n/strings";
import classes from "./writer.module.css";

/** Recommended lengths: longer titles and descriptions are cut in search results. */
export const META_TITLE_LIMIT = 60;
export const META_DESCRIPTION_LIMIT = 155;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The characters a reader sees (an emoji or an accented letter is one). */
export function characters(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** "n of about 60 characters", or a warning (in words, not only in colour) past the limit. */
export function LengthCounter({ value, limit, id }: { value: string; limit: number; id?: string }) {
  const n = characters(value).length;
  const over = n > limit;
  return (
    <Text id={id} size="xs" c={over ? "red.8" : "dimmed"} fw={over ? 600 : undefined} aria-live="polite" data-over={over || undefined}>
      {over ? t.writer.tooLong(n, limit) : t.writer.characters(n, limit)}
    </Text>
  );
}

function cut(text: string, limit: number): string {
  const chars = characters(text);
  return chars.length > limit ? `${chars.slice(0, limit - 1).join("").trimEnd()}…` : text;
}

/** How the article would look as a search result (title, address, description). */
export function SerpPreview({ title, url, description }: { title: string; url: string; description: string }) {
  return (
    <section aria-label={t.writer.serpPreview} className={classes.serp} data-testid="serp-preview">
      <Text size="xs" c="dimmed">
        {t.writer.serpPreview}
      </Text>
      <Text size="xs" className={classes.serpUrl}>
        {url}
      </Text>
      <Text className={classes.serpTitle} data-testid="serp-title">
        {cut(title, META_TITLE_LIMIT)}
      </Text>
      <Text size="sm" className={classes.serpDescription} data-testid="serp-description">
        {cut(description, META_DESCRIPTION_LIMIT)}
      </Text>
    </section>
  );
}

/** The meta title and description with their counters, and the search-result preview.
 * Read-only: the API writes them with the article and offers no edit of them. */
export function SearchAppearance({
  metaTitle,
  metaDescription,
  fallbackTitle,
  fallbackDescription,
  url,
}: {
  metaTitle: string;
  metaDescription: string;
  fallbackTitle: string;
  fallbackDescription: string;
  url: string;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="seo-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="seo-heading">
          {t.writer.seo}
        </Title>
        <Text size="xs" c="dimmed">
          {t.writer.metaReadOnly}
        </Text>
        <div>
          <TextInput label={t.writer.metaTitle} value={metaTitle} readOnly aria-describedby="meta-title-count" />
          <LengthCounter id="meta-title-count" value={metaTitle} limit={META_TITLE_LIMIT} />
        </div>
        <div>
          <Textarea
            label={t.writer.metaDescription}
            value={metaDescription}
            readOnly
            rows={3}
            aria-describedby="meta-description-count"
          />
          <LengthCounter id="meta-description-count" value={metaDescription} limit={META_DESCRIPTION_LIMIT} />
        </div>
        <SerpPreview title={metaTitle || fallbackTitle} url={url} description={metaDescription || fallbackDescription} />
      </Stack>
    </Paper>
  );
}
