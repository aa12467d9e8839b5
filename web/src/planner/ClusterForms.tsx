import { Button, Checkbox, Group, NativeSelect, Radio, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { clusterKeywordsQuery, useClusterMutations, type Cluster } from "./api";
import classes from "./planner.module.css";

type Problem = { message: string; requestId: string | null } | null;

/** Rename a cluster or change its description (the API's field errors by their fields). */
export function RenameCluster({ cluster, onDone }: { cluster: Cluster; onDone: () => void }) {
  const { rename } = useClusterMutations();
  const [problem, setProblem] = useState<Problem>(null);
  const form = useForm({
    mode: "controlled",
    initialValues: { name: cluster.name, description: cluster.description },
    validate: { name: (value: string) => (value.trim() === "" ? t.auth.required : null) },
  });
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const saved = await rename.mutateAsync({ id: cluster.id, name: values.name.trim(), description: values.description });
      notifySuccess(t.planner.clusters.renamed(saved.name));
      onDone();
    } catch (error) {
      const { fieldErrors, formError } = formErrorsOf(error, ["name", "description"]);
      form.setErrors(fieldErrors);
      if (formError) setProblem({ message: formError, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={problem?.message ?? null} requestId={problem?.requestId ?? null} />
        <TextInput label={t.planner.clusters.name} required data-autofocus {...form.getInputProps("name")} />
        <Textarea label={t.planner.clusters.description} autosize minRows={2} {...form.getInputProps("description")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t.planner.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t.planner.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Merge the selected clusters into the one chosen. */
export function MergeClusters({ clusters, onDone }: { clusters: Cluster[]; onDone: () => void }) {
  const { merge } = useClusterMutations();
  const [target, setTarget] = useState(clusters[0]?.id ?? "");
  const c = t.planner.clusters;
  return (
    <Stack gap="md">
      <Text size="sm">{c.mergeIntro(clusters.length - 1)}</Text>
      <Radio.Group label={c.mergeInto} value={target} onChange={setTarget}>
        <Stack gap="xs" mt="xs">
          {clusters.map((cluster) => (
            <Radio key={cluster.id} value={cluster.id} label={`${cluster.name} (${cluster.keyword_count})`} />
          ))}
        </Stack>
      </Radio.Group>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t.planner.cancel}
        </Button>
        <Button
          loading={merge.isPending}
          onClick={() =>
            merge.mutate(
              { target, sources: clusters.filter((cluster) => cluster.id !== target).map((cluster) => cluster.id) },
              {
                onSuccess: (merged) => {
                  notifySuccess(c.merged(merged.name));
                  onDone();
                },
              },
            )
          }
        >
          {c.merge}
        </Button>
      </Group>
    </Stack>
  );
}

/** A cluster's keywords: choose some, then split them into a new cluster or move them to
 * another cluster (or out of any). */
export function ClusterKeywords({ cluster, clusters, onDone }: { cluster: Cluster; clusters: Cluster[]; onDone: () => void }) {
  const keywords = useQuery(clusterKeywordsQuery(cluster.id));
  const { split, move } = useClusterMutations();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [problem, setProblem] = useState<Problem>(null);
  const c = t.planner.clusters;
  const ids = [...chosen];

  if (keywords.isPending) return <Loading />;
  if (keywords.isError) return <LoadError title={t.planner.keywords.loadFailed} error={keywords.error} onRetry={() => void keywords.refetch()} />;
  if (keywords.data.length === 0) return <Text size="sm">{c.noKeywords}</Text>;

  const toggle = (id: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Stack gap="md">
      <FormAlert message={problem?.message ?? null} requestId={problem?.requestId ?? null} />
      <Table aria-label={c.keywordsTitle(cluster.name)} data-testid="cluster-keywords">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={40}>
              <span className={classes.visuallyHidden}>{t.planner.selectColumn}</span>
            </Table.Th>
            <Table.Th scope="col">{t.planner.keywords.keyword}</Table.Th>
            <Table.Th scope="col">{t.planner.keywords.volume}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keywords.data.map((keyword) => (
            <Table.Tr key={keyword.id}>
              <Table.Td>
                <Checkbox
                  aria-label={t.planner.selectRow(keyword.keyword)}
                  checked={chosen.has(keyword.id)}
                  onChange={(event) => toggle(keyword.id, event.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td>{keyword.keyword}</Table.Td>
              <Table.Td>{keyword.volume?.toLocaleString() ?? t.planner.none}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end" gap="sm">
        <TextInput label={c.splitName} value={name} onChange={(event) => setName(event.currentTarget.value)} />
        <Button
          variant="light"
          disabled={ids.length === 0}
          loading={split.isPending}
          onClick={() =>
            split.mutate(
              { id: cluster.id, keywordIds: ids, name: name.trim() },
              {
                onSuccess: (made) => {
                  notifySuccess(c.splitDone(made.created.name));
                  onDone();
                },
                onError: (error) => {
                  const { formError, fieldErrors } = formErrorsOf(error, []);
                  setProblem({
                    message: formError ?? Object.values(fieldErrors).join(" "),
                    requestId: error instanceof ApiError ? error.requestId : null,
                  });
                },
              },
            )
          }
        >
          {c.split}
        </Button>
      </Group>
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label={c.moveTo}
          value={target}
          onChange={(event) => setTarget(event.currentTarget.value)}
          data={[
            { value: "", label: t.planner.keywords.unclustered },
            ...clusters.filter((other) => other.id !== cluster.id).map((other) => ({ value: other.id, label: other.name })),
          ]}
        />
        <Button
          variant="light"
          disabled={ids.length === 0}
          loading={move.isPending}
          onClick={() =>
            move.mutate(
              { keywordIds: ids, clusterId: target || null },
              {
                onSuccess: (moved) => {
                  notifySuccess(c.moved(moved.count));
                  onDone();
                },
              },
            )
          }
        >
          {c.move}
        </Button>
      </Group>
    </Stack>
  );
}

/** A cluster's keywords, to read (roles that may not change them). */
export function ClusterKeywordList({ cluster }: { cluster: Cluster }) {
  const keywords = useQuery(clusterKeywordsQuery(cluster.id));
  if (keywords.isPending) return <Loading />;
  if (keywords.isError) return <LoadError title={t.planner.keywords.loadFailed} error={keywords.error} onRetry={() => void keywords.refetch()} />;
  if (keywords.data.length === 0) return <Text size="sm">{t.planner.clusters.noKeywords}</Text>;
  return (
    <Table aria-label={t.planner.clusters.keywordsTitle(cluster.name)} data-testid="cluster-keywords">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t.planner.keywords.keyword}</Table.Th>
          <Table.Th scope="col">{t.planner.keywords.volume}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keywords.data.map((keyword) => (
          <Table.Tr key={keyword.id}>
            <Table.Td>{keyword.keyword}</Table.Td>
            <Table.Td>{keyword.volume?.toLocaleString() ?? t.planner.none}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
