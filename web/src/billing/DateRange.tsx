import { TextInput } from "@mantine/core";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";

/** The API's complaint about a filter (a 400 on `since`, `until`, `kind`...), shown at it. */
export function filterError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors[field]?.[0] : undefined;
}

/** "From" and "To" day inputs of a billing listing; `error` is the listing's last error. */
export function DateRange({
  since,
  until,
  error,
  onChange,
}: {
  since: string;
  until: string;
  error: unknown;
  onChange: (change: { since?: string; until?: string }) => void;
}) {
  return (
    <>
      <TextInput
        type="date"
        label={t.billing.since}
        value={since}
        max={until || undefined}
        onChange={(event) => onChange({ since: event.currentTarget.value })}
        error={filterError(error, "since")}
      />
      <TextInput
        type="date"
        label={t.billing.until}
        value={until}
        min={since || undefined}
        onChange={(event) => onChange({ until: event.currentTarget.value })}
        error={filterError(error, "until")}
      />
    </>
  );
}
