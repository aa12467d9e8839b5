import { Alert, Badge, Button, Group, Progress, Stack, Text } from "@mantine/core";

import { can } from "../auth/permissions";
import type { Role } from "../auth/session";
import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { ACTIVE_STATUSES, type AutomationRun, type RunAction, type StageResult, useAutomationMutations } from "./api";

const DONE_STATES: ReadonlySet<StageResult["state"]> = new Set(["done", "skipped"]);

function stagePercent(stage: StageResult): number {
  if (DONE_STATES.has(stage.state)) return 100;
  if (stage.total === 0) return 0;
  return Math.round(((stage.processed + stage.failed) * 100) / stage.total);
}

function stageColor(stage: StageResult): string {
  if (stage.state === "failed" || stage.failed > 0) return "red";
  if (stage.state === "skipped") return "gray";
  return DONE_STATES.has(stage.state) ? "green" : "blue";
}

/** The site's active run, a progress bar per stage and its controls; or "run now". */
export function CurrentRun({ siteId, runs, role }: { siteId: string; runs: AutomationRun[]; role: Role }) {
  const { start, change } = useAutomationMutations(siteId);
  const run = runs.find((r) => ACTIVE_STATUSES.has(r.status)) ?? null;
  const mayRun = can.writeContent(role);

  const act = (action: RunAction) => {
    if (!run) return;
    change.mutate(
      { runId: run.id, action },
      {
        onSuccess: () =>
          notifySuccess(
            action === "pause" ? t.automation.paused : action === "resume" ? t.automation.resumed : t.automation.cancelled,
          ),
      },
    );
  };

  if (!run) {
    return (
      <Stack gap="sm">
        <Text size="sm">{t.automation.noCurrentRun}</Text>
        {mayRun ? (
          <Group>
            <Button onClick={() => start.mutate(undefined, { onSuccess: () => notifySuccess(t.automation.started) })} loading={start.isPending}>
              {t.automation.runNow}
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t.automation.readOnlyRuns}
          </Text>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="sm" data-testid="current-run" data-status={run.status} data-stage={run.stage}>
      <Group justify="space-between">
        <Badge color={run.status === "paused" ? "yellow" : "blue"}>{t.automation.statuses[run.status]}</Badge>
        <Text size="sm">{t.automation.stages[run.stage]}</Text>
      </Group>
      {run.status === "paused" && run.pause_reason ? (
        <Alert color="yellow" role="status">
          <Text size="sm">{t.automation.pausedFor(run.pause_reason)}</Text>
        </Alert>
      ) : null}
      {run.stages.map((stage) => {
        const label = t.automation.stageProgress(t.automation.stages[stage.stage], stage.processed, stage.total);
        return (
          <Stack gap={2} key={stage.stage}>
            <Group justify="space-between">
              <Text size="sm">{label}</Text>
              <Text size="xs" c="dimmed">
                {t.automation.stageStates[stage.state]}
                {stage.failed > 0 ? ` · ${t.automation.failedItems(stage.failed)}` : ""}
              </Text>
            </Group>
            <Progress value={stagePercent(stage)} color={stageColor(stage)} aria-label={label} animated={stage.state === "running"} />
            {stage.message ? (
              <Text size="xs" c="dimmed">
                {stage.message}
              </Text>
            ) : null}
          </Stack>
        );
      })}
      {mayRun ? (
        <Group>
          {run.status === "paused" ? (
            <Button onClick={() => act("resume")} loading={change.isPending}>
              {t.automation.resume}
            </Button>
          ) : (
            <Button variant="default" onClick={() => act("pause")} loading={change.isPending}>
              {t.automation.pause}
            </Button>
          )}
          <Button color="red" variant="light" onClick={() => act("cancel")} loading={change.isPending}>
            {t.automation.cancel}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
