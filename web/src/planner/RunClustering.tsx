import { Button, Group, Radio, SegmentedControl, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { OperationProgress } from "../operations/OperationProgress";
import { FormAlert } from "../shell/FormAlert";
import {
  CLUSTERING_METHODS,
  GRANULARITIES,
  resetPlanner,
  useClusterMutations,
  type ClusteringMethod,
  type Granularity,
} from "./api";
import { startError } from "./creditsError";

/** Clustering of the sector's unclustered keywords (or the ones given) with a chosen method,
 * followed to its end. */
export function RunClustering({ siteId, sectorId, keywordIds, onClose }: {
  siteId: string;
  sectorId: string;
  keywordIds?: string[];
  onClose: () => void;
}) {
  const client = useQueryClient();
  const { autoCluster } = useClusterMutations();
  const [method, setMethod] = useState<ClusteringMethod>("local");
  const [granularity, setGranularity] = useState<Granularity>("medium");
  const [operationId, setOperationId] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; requestId: string | null } | null>(null);
  const c = t.planner.clusters;

  const start = async () => {
    setError(null);
    try {
      const accepted = await autoCluster.mutateAsync({
        site_id: siteId,
        sector_id: sectorId,
        method,
        // The language model chooses its own groups; the API refuses a size for it.
        granularity: method === "llm" ? "medium" : granularity,
        ...(keywordIds && keywordIds.length > 0 ? { keyword_ids: keywordIds } : {}),
      });
      setOperationId(accepted.operation_id);
    } catch (failure) {
      setError(startError(failure));
    }
  };

  return (
    <Stack gap="md">
      <FormAlert message={error?.message ?? null} requestId={error?.requestId ?? null} />
      <Radio.Group label={c.methodLabel} description={c.methodHint} value={method} onChange={setMethod}>
        <Stack gap="xs" mt="xs">
          {CLUSTERING_METHODS.map((m) => (
            <Radio key={m} value={m} label={c.methods[m]} disabled={operationId !== null} />
          ))}
        </Stack>
      </Radio.Group>
      {method === "llm" ? null : (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="granularity-label">
            {c.granularityLabel}
          </Text>
          <SegmentedControl
            aria-labelledby="granularity-label"
            value={granularity}
            onChange={(value) => setGranularity(value)}
            disabled={operationId !== null}
            data={GRANULARITIES.map((g) => ({ value: g, label: c.granularities[g] }))}
          />
          <Text size="xs" c="dimmed">
            {c.granularityHint}
          </Text>
        </Stack>
      )}
      {keywordIds && keywordIds.length > 0 ? <Text size="sm">{t.planner.selected(keywordIds.length)}</Text> : null}
      {operationId ? (
        <OperationProgress operationId={operationId} label={c.runProgress} onFinished={() => void resetPlanner(client)} />
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t.planner.close}
        </Button>
        {operationId ? null : (
          <Button loading={autoCluster.isPending} onClick={() => void start()}>
            {c.runStart}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
