import { Alert, Button, Checkbox, Group, NumberInput, ScrollArea, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { OperationProgress } from "../operations/OperationProgress";
import { FormAlert } from "../shell/FormAlert";
import { ideasEstimateQuery, useIdeaMutations, type Cluster } from "./api";
import { startError } from "./creditsError";

const MAX_PER_CLUSTER = 10;

/** What the chosen clusters and count would cost, as billing prices it, before starting. */
function Estimate({ clusterIds, perCluster }: { clusterIds: string[]; perCluster: number }) {
  const [body] = useDebouncedValue({ cluster_ids: clusterIds, ideas_per_cluster: perCluster }, 250);
  const estimate = useQuery({ ...ideasEstimateQuery(body), enabled: body.cluster_ids.length > 0 });
  const g = t.planner.ideas;
  if (body.cluster_ids.length === 0) return <Text size="sm">{g.chooseClusters}</Text>;
  if (estimate.isPending) return <Text size="sm">{g.estimating}</Text>;
  if (estimate.isError) return <Text size="sm">{startError(estimate.error).message}</Text>;
  const { credits: cost, available_credits: available, enough } = estimate.data;
  return (
    <Alert color={enough ? "blue" : "orange"} role="status" p="xs" data-testid="ideas-estimate">
      <Text size="sm">{g.estimate(cost, available)}</Text>
      {enough ? null : (
        <Text size="sm" fw={500}>
          {g.needsCredits(cost.toLocaleString(), available.toLocaleString())}
        </Text>
      )}
    </Alert>
  );
}

/** Ideas for chosen clusters: the cost shown first, a refusal for want of credits shown as
 * "needs X credits, you have Y", then the operation's progress. */
export function GenerateIdeas({ clusters, onClose }: { clusters: Cluster[]; onClose: () => void }) {
  const client = useQueryClient();
  const { generate } = useIdeaMutations();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [count, setCount] = useState<number | "">(3);
  const perCluster = count === "" ? 1 : count;
  const [operationId, setOperationId] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; requestId: string | null } | null>(null);
  const g = t.planner.ideas;
  const ids = clusters.filter((cluster) => chosen.has(cluster.id)).map((cluster) => cluster.id);

  const start = async () => {
    setError(null);
    try {
      const accepted = await generate.mutateAsync({ cluster_ids: ids, ideas_per_cluster: perCluster });
      setOperationId(accepted.operation_id);
    } catch (failure) {
      setError(startError(failure));
    }
  };

  if (clusters.length === 0) return <Text size="sm">{g.noClusters}</Text>;
  return (
    <Stack gap="md">
      <FormAlert message={error?.message ?? null} requestId={error?.requestId ?? null} />
      <Checkbox.Group
        label={g.clusters}
        description={g.clustersHint}
        value={[...chosen]}
        onChange={(value) => setChosen(new Set(value))}
      >
        <ScrollArea.Autosize mah={240} mt="xs">
          <Stack gap={6}>
            {clusters.map((cluster) => (
              <Checkbox key={cluster.id} value={cluster.id} label={`${cluster.name} (${cluster.keyword_count})`} disabled={operationId !== null} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Checkbox.Group>
      <NumberInput
        label={g.perCluster}
        min={1}
        max={MAX_PER_CLUSTER}
        value={count}
        clampBehavior="strict"
        allowDecimal={false}
        onChange={(value) => setCount(typeof value === "number" ? value : "")}
        disabled={operationId !== null}
        w={160}
      />
      {operationId ? (
        <OperationProgress
          operationId={operationId}
          label={g.progress}
          onFinished={() => void client.invalidateQueries({ queryKey: ["planner", "ideas"] })}
        />
      ) : (
        <Estimate clusterIds={ids} perCluster={perCluster} />
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t.planner.close}
        </Button>
        {operationId ? null : (
          <Button disabled={ids.length === 0} loading={generate.isPending} onClick={() => void start()}>
            {g.start}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
