import { Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { t } from "../i18n/strings";
import { LoadError, Loading } from "../shell/QueryState";
import { imagesQuery } from "./api";
import { ImageCard } from "./ImageCard";
import classes from "./writer.module.css";

export const articleImagesQuery = (contentId: string) => imagesQuery({ content_id: contentId, ordering: "position", page_size: 100 });

/** The article's featured and in-article images. */
export function ArticleImages({ contentId }: { contentId: string }) {
  const images = useQuery(articleImagesQuery(contentId));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="images-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="images-heading">
          {t.writer.articleImages}
        </Title>
        <Text size="xs" c="dimmed">
          {t.writer.altCaptionReadOnly}
        </Text>
        {images.isPending ? (
          <Loading />
        ) : images.isError ? (
          <LoadError title={t.writer.imagesLoadFailed} error={images.error} onRetry={() => void images.refetch()} />
        ) : images.data.results.length === 0 ? (
          <Text size="sm">{t.writer.imagesEmpty}</Text>
        ) : (
          <div className={classes.grid}>
            {images.data.results.map((image) => (
              <ImageCard key={image.id} image={image} />
            ))}
          </div>
        )}
      </Stack>
    </Paper>
  );
}
