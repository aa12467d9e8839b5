import { NativeSelect, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import type { Sector, Site } from "../sites/api";
import { LoadError, Loading } from "../shell/QueryState";
import { imagesQuery, PAGE_SIZE, type ImageRole } from "./api";
import { ImageCard } from "./ImageCard";
import classes from "./writer.module.css";
import { PageFrame } from "./PageFrame";
import { Paged } from "./Paged";

function Images({ site, sector }: { site: Site; sector: Sector }) {
  const [role, setRole] = useState<ImageRole | "">("");
  const [page, setPage] = useState(1);
  const images = useQuery(
    imagesQuery({ site_id: site.id, sector_id: sector.id, role: role || undefined, page, page_size: PAGE_SIZE }),
  );
  return (
    <Stack gap="md">
      <NativeSelect
        label={t.writer.place}
        maw={240}
        value={role}
        onChange={(event) => {
          setRole(event.currentTarget.value as ImageRole | "");
          setPage(1);
        }}
        data={[
          { value: "", label: t.writer.anyRole },
          { value: "featured", label: t.writer.roles.featured },
          { value: "in_article", label: t.writer.roles.in_article },
        ]}
      />
      <Text size="xs" c="dimmed">
        {t.writer.altCaptionReadOnly}
      </Text>
      {images.isPending ? (
        <Loading />
      ) : images.isError ? (
        <LoadError title={t.writer.imagesLoadFailed} error={images.error} onRetry={() => void images.refetch()} />
      ) : images.data.results.length === 0 ? (
        <div>
          <Text size="sm">{t.writer.imagesEmpty}</Text>
          <Text size="sm" c="dimmed">
            {t.writer.imagesEmptyHint}
          </Text>
        </div>
      ) : (
        <>
          <div className={classes.grid} data-testid="images-grid">
            {images.data.results.map((image) => (
              <ImageCard key={image.id} image={image} showArticle />
            ))}
          </div>
          <Paged page={page} count={images.data.count} shown={images.data.results.length} onPage={setPage} />
        </>
      )}
    </Stack>
  );
}

export function ImagesPage() {
  return (
    <PageFrame title={t.writer.imagesTitle} intro={t.writer.imagesIntro}>
      {({ site, sector }) => <Images key={sector.id} site={site} sector={sector} />}
    </PageFrame>
  );
}
