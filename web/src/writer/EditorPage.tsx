import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useMemo, useState } from "react";

import { t } from "../i18n/strings";
import { useWorkspace } from "../sites/workspace";
import { LoadError, Loading } from "../shell/QueryState";
import { contentQuery, type Content, type Image } from "./api";
import { ArticleForm } from "./ArticleForm";
import { ArticleImages, articleImagesQuery } from "./ArticleImages";
import { ReviewActions } from "./ReviewActions";
import { SearchAppearance } from "./seo";
import { VersionsPanel } from "./VersionsPanel";

function Editor({ content, images }: { content: Content; images: Image[] }) {
  const { sites } = useWorkspace();
  const [title, setTitle] = useState(content.title);
  const domain = sites.find((s) => s.id === content.site_id)?.domain ?? "";
  // The editor shows an image through its signed link; the HTML keeps the API's own src.
  const links = useMemo(() => new Map(images.map((image) => [image.src, image.file_url])), [images]);
  const resolveSrc = (src: string) => links.get(src) ?? src;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor component={Link} to="/writer/content" size="sm">
            {t.writer.backToContent}
          </Anchor>
          <Title order={1}>{t.writer.editorTitle}</Title>
          <Text size="sm" c="dimmed">
            {t.writer.words(content.word_count)} · {t.writer.versionLabel(content.version)}
          </Text>
        </div>
        <ReviewActions content={content} />
      </Group>
      {content.external_url ? (
        <Anchor href={content.external_url} target="_blank" rel="noopener noreferrer" size="sm">
          {t.writer.externalLink}
        </Anchor>
      ) : null}
      {/* A new version (saved, restored) is loaded into a fresh editor. */}
      <ArticleForm key={`${content.id}-${content.version}`} content={content} resolveSrc={resolveSrc} onTitle={setTitle} />
      <SearchAppearance
        metaTitle={content.meta_title}
        metaDescription={content.meta_description}
        fallbackTitle={title}
        fallbackDescription={content.excerpt}
        url={t.writer.serpUrl(domain || "example.com", content.slug)}
      />
      <VersionsPanel contentId={content.id} />
      <ArticleImages contentId={content.id} />
    </Stack>
  );
}

export function EditorPage() {
  const { contentId = "" } = useParams({ strict: false });
  const content = useQuery(contentQuery(contentId));
  const images = useQuery(articleImagesQuery(contentId));
  if (content.isPending || images.isPending) return <Loading />;
  if (content.isError)
    return <LoadError title={t.writer.articleLoadFailed} error={content.error} onRetry={() => void content.refetch()} />;
  return <Editor content={content.data} images={images.data?.results ?? []} />;
}
