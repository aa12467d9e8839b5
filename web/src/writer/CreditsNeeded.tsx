import { Alert, Text } from "@mantine/core";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { shortfallOf } from "./credits";

/** Why an operation did not start: "needs X credits, you have Y" for a 402, else the API's
 * message (with its request id). */
export function StartError({ error }: { error: unknown }) {
  if (!error) return null;
  const shortfall = shortfallOf(error);
  if (shortfall) {
    return (
      <Alert color="red" role="alert" title={t.writer.notEnoughTitle} data-testid="credits-needed">
        <Text size="sm">{t.writer.notEnough(shortfall.needed, shortfall.available)}</Text>
      </Alert>
    );
  }
  return (
    <FormAlert
      message={error instanceof Error ? error.message : t.errors.unknown}
      requestId={error instanceof ApiError ? error.requestId : null}
    />
  );
}
