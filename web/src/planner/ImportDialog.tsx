import { Button, Checkbox, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { operationQuery } from "../operations/api";
import { OperationProgress } from "../operations/OperationProgress";
import { FormAlert } from "../shell/FormAlert";
import { resetPlanner } from "./api";
import { ImportReport } from "./ImportReport";
import classes from "./planner.module.css";
import { importReportOf, startImport } from "./transfer";

function sizeOf(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file dropped on the target or chosen with the file input. */
function DropTarget({ file, onFile }: { file: File | null; onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [over, setOver] = useState(false);
  const i = t.planner.import;
  return (
    <div
      className={`${classes.drop} ${over ? classes.dropActive : ""}`}
      data-testid="import-drop"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const dropped = event.dataTransfer.files[0];
        if (dropped) onFile(dropped);
      }}
    >
      <Stack gap="xs" align="center">
        <Text size="sm">{i.drop}</Text>
        <label htmlFor={inputId} className={classes.visuallyHidden}>
          {i.fileLabel}
        </label>
        <input
          id={inputId}
          ref={input}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          className={classes.visuallyHidden}
          onChange={(event) => {
            const chosen = event.currentTarget.files?.[0];
            if (chosen) onFile(chosen);
          }}
        />
        <Button size="xs" variant="light" onClick={() => input.current?.click()}>
          {i.choose}
        </Button>
        {file ? (
          <Text size="sm" fw={500} data-testid="import-file">
            {i.chosen(file.name, sizeOf(file.size))}
          </Text>
        ) : null}
      </Stack>
    </div>
  );
}

/** The import's progress, then its report; a dry run that looks right can be imported for real. */
function ImportRun({ operationId, onDone }: { operationId: string; onDone: () => void }) {
  const operation = useQuery(operationQuery(operationId));
  const report = operation.data?.is_final ? importReportOf(operation.data) : null;
  return (
    <Stack gap="sm">
      <OperationProgress operationId={operationId} label={t.planner.import.progress} onFinished={onDone} />
      {report ? <ImportReport report={report} /> : null}
    </Stack>
  );
}

/** Import a keyword research export into the chosen sector: drag and drop or choose the file,
 * optionally a dry run or all-or-nothing, then the operation's progress and its report. */
export function ImportDialog({ siteId, sectorId, onClose }: { siteId: string; sectorId: string; onClose: () => void }) {
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; requestId: string | null } | null>(null);
  const start = useMutation({ mutationFn: startImport, meta: { handlesErrors: true } });
  const i = t.planner.import;

  const run = async (asDryRun: boolean) => {
    if (!file) {
      setError({ message: i.noFile, requestId: null });
      return;
    }
    setError(null);
    setOperationId(null);
    try {
      setOperationId(await start.mutateAsync({ file, siteId, sectorId, dryRun: asDryRun, allOrNothing }));
    } catch (failure) {
      const { formError, fieldErrors } = formErrorsOf(failure, []);
      setError({
        message: formError ?? Object.values(fieldErrors).join(" "),
        requestId: failure instanceof ApiError ? failure.requestId : null,
      });
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm">{i.intro}</Text>
      <FormAlert message={error?.message ?? null} requestId={error?.requestId ?? null} />
      <DropTarget
        file={file}
        onFile={(chosen) => {
          setFile(chosen);
          setOperationId(null);
          setError(null);
        }}
      />
      <Checkbox label={i.dryRun} checked={dryRun} onChange={(event) => setDryRun(event.currentTarget.checked)} />
      <Checkbox label={i.allOrNothing} checked={allOrNothing} onChange={(event) => setAllOrNothing(event.currentTarget.checked)} />
      {operationId ? (
        <ImportRun key={operationId} operationId={operationId} onDone={() => void resetPlanner(client)} />
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t.planner.close}
        </Button>
        {dryRun && operationId ? (
          <Button variant="light" loading={start.isPending} onClick={() => void run(false)}>
            {i.importNow}
          </Button>
        ) : null}
        <Button loading={start.isPending} onClick={() => void run(dryRun)}>
          {dryRun ? i.check : i.start}
        </Button>
      </Group>
    </Stack>
  );
}
