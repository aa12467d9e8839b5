import { Button, Group, NativeSelect, NumberInput, TextInput } from "@mantine/core";

import { t } from "../i18n/strings";
import { KEYWORD_INTENTS, KEYWORD_STATUSES, type Cluster, type KeywordIntent, type KeywordStatus } from "./api";

export interface FilterValues {
  search: string;
  status: KeywordStatus | "";
  intent: KeywordIntent | "";
  clusterId: string;
  volumeMin: number | "";
  volumeMax: number | "";
  difficultyMin: number | "";
  difficultyMax: number | "";
}

export const NO_FILTERS: FilterValues = {
  search: "",
  status: "",
  intent: "",
  clusterId: "",
  volumeMin: "",
  volumeMax: "",
  difficultyMin: "",
  difficultyMax: "",
};

const numberOf = (value: string | number): number | "" => (typeof value === "number" ? value : "");

/** Search, status, intent, cluster and the volume and difficulty ranges of the keyword list. */
export function KeywordFilters({
  values,
  clusters,
  onChange,
}: {
  values: FilterValues;
  clusters: Cluster[];
  onChange: (values: FilterValues) => void;
}) {
  const set = <K extends keyof FilterValues>(key: K, value: FilterValues[K]) => onChange({ ...values, [key]: value });
  const k = t.planner.keywords;
  return (
    <Group gap="sm" align="flex-end" role="group" aria-label={k.filters}>
      <TextInput
        label={k.search}
        type="search"
        value={values.search}
        onChange={(event) => set("search", event.currentTarget.value)}
        w={200}
      />
      <NativeSelect
        label={k.statusLabel}
        value={values.status}
        onChange={(event) => set("status", event.currentTarget.value as FilterValues["status"])}
        data={[{ value: "", label: t.planner.all }, ...KEYWORD_STATUSES.map((s) => ({ value: s, label: t.planner.status[s] }))]}
      />
      <NativeSelect
        label={k.intentLabel}
        value={values.intent}
        onChange={(event) => set("intent", event.currentTarget.value as FilterValues["intent"])}
        data={[{ value: "", label: t.planner.all }, ...KEYWORD_INTENTS.map((i) => ({ value: i, label: t.planner.intent[i] }))]}
      />
      <NativeSelect
        label={k.cluster}
        value={values.clusterId}
        onChange={(event) => set("clusterId", event.currentTarget.value)}
        data={[{ value: "", label: t.planner.all }, ...clusters.map((c) => ({ value: c.id, label: c.name }))]}
        w={200}
      />
      <NumberInput label={k.volumeMin} min={0} w={120} value={values.volumeMin} onChange={(v) => set("volumeMin", numberOf(v))} />
      <NumberInput label={k.volumeMax} min={0} w={120} value={values.volumeMax} onChange={(v) => set("volumeMax", numberOf(v))} />
      <NumberInput
        label={k.difficultyMin}
        min={0}
        max={100}
        w={120}
        value={values.difficultyMin}
        onChange={(v) => set("difficultyMin", numberOf(v))}
      />
      <NumberInput
        label={k.difficultyMax}
        min={0}
        max={100}
        w={120}
        value={values.difficultyMax}
        onChange={(v) => set("difficultyMax", numberOf(v))}
      />
      <Button variant="subtle" onClick={() => onChange(NO_FILTERS)}>
        {k.clearFilters}
      </Button>
    </Group>
  );
}
