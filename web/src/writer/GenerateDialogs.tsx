import { NativeSelect } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { authorProfilesQuery } from "./api";
import { OperationDialog } from "./OperationDialog";

/** The most in-article images an article may get (the API's limit on in_article_count). */
const IN_ARTICLE_CHOICES = Array.from({ length: 11 }, (_, n) => String(n));
const DEFAULT_IN_ARTICLE = "2";

export function GenerateArticlesDialog({ taskIds, onClose }: { taskIds: string[]; onClose: () => void }) {
  const profiles = useQuery(authorProfilesQuery);
  const [profileId, setProfileId] = useState("");
  const body = { task_ids: taskIds, author_profile_id: profileId || null };
  return (
    <OperationDialog
      title={t.writer.generateArticlesTitle(taskIds.length)}
      estimate={{ kind: "content", body: { task_ids: taskIds } }}
      request={() => ({ kind: "content", body })}
      progressLabel={t.writer.writingArticles}
      onClose={onClose}
    >
      <NativeSelect
        label={t.writer.authorProfile}
        description={t.writer.authorProfileHint}
        value={profileId}
        onChange={(event) => setProfileId(event.currentTarget.value)}
        data={[
          { value: "", label: t.writer.noAuthorProfile },
          ...(profiles.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.language})` })),
        ]}
      />
    </OperationDialog>
  );
}

export function GenerateImagesDialog({ taskIds, onClose }: { taskIds: string[]; onClose: () => void }) {
  const [count, setCount] = useState(DEFAULT_IN_ARTICLE);
  const body = { task_ids: taskIds, in_article_count: Number(count) };
  return (
    <OperationDialog
      title={t.writer.generateImagesTitle(taskIds.length)}
      estimate={{ kind: "images", body }}
      request={() => ({ kind: "images", body })}
      progressLabel={t.writer.makingImages}
      onClose={onClose}
    >
      <NativeSelect
        label={t.writer.inArticleCount}
        description={t.writer.inArticleHint}
        value={count}
        onChange={(event) => setCount(event.currentTarget.value)}
        data={IN_ARTICLE_CHOICES}
      />
    </OperationDialog>
  );
}
