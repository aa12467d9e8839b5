import { Group, NativeSelect, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { t } from "../i18n/strings";
import { clustersQuery, type TaskStatus } from "./api";
import { TASK_STATUSES } from "./options";

export interface TaskFilterValues {
  status: TaskStatus | "";
  clusterId: string;
  search: string;
}

export function TaskFilters({
  siteId,
  sectorId,
  value,
  onChange,
}: {
  siteId: string;
  sectorId: string;
  value: TaskFilterValues;
  onChange: (value: TaskFilterValues) => void;
}) {
  const clusters = useQuery(clustersQuery(siteId, sectorId));
  return (
    <Group align="flex-end" role="search" aria-label={t.writer.search}>
      <TextInput
        label={t.writer.search}
        type="search"
        value={value.search}
        onChange={(event) => onChange({ ...value, search: event.currentTarget.value })}
      />
      <NativeSelect
        label={t.writer.status}
        value={value.status}
        onChange={(event) => onChange({ ...value, status: event.currentTarget.value as TaskStatus | "" })}
        data={[{ value: "", label: t.writer.anyStatus }, ...TASK_STATUSES]}
      />
      <NativeSelect
        label={t.writer.cluster}
        value={value.clusterId}
        onChange={(event) => onChange({ ...value, clusterId: event.currentTarget.value })}
        data={[{ value: "", label: t.writer.anyCluster }, ...(clusters.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
      />
    </Group>
  );
}
