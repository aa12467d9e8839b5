import { Alert, List, Stack, Text, ThemeIcon } from "@mantine/core";

import { t } from "../i18n/strings";
import type { ConnectionTest } from "./api";

const mark = (ok: boolean | null) => (ok === true ? "✓" : ok === false ? "✗" : "–");
const color = (ok: boolean | null) => (ok === true ? "green" : ok === false ? "red" : "gray");
const verdict = (ok: boolean | null) =>
  ok === true ? t.publishing.checkOk : ok === false ? t.publishing.checkFailed : t.publishing.checkSkipped;

/** The API's connection test, check by check (steps after a failed one are not run). */
export function ConnectionChecks({ report }: { report: ConnectionTest }) {
  return (
    <Stack gap="xs" data-testid="connection-checks" data-ok={report.ok}>
      <Text fw={600}>{t.publishing.checksTitle}</Text>
      <List spacing="xs" listStyleType="none" aria-label={t.publishing.checksTitle}>
        {report.checks.map((check) => (
          <List.Item
            key={check.name}
            data-testid={`check-${check.name}`}
            data-ok={String(check.ok)}
            icon={
              <ThemeIcon color={color(check.ok)} size={22} radius="xl" aria-hidden>
                {mark(check.ok)}
              </ThemeIcon>
            }
          >
            <Text size="sm" fw={500} span>
              {t.publishing.check[check.name] ?? check.name}: {verdict(check.ok)}
            </Text>
            {check.message ? (
              <Text size="xs" c="dimmed">
                {check.message}
              </Text>
            ) : null}
          </List.Item>
        ))}
      </List>
      <Alert color={report.ok ? "green" : "red"} role={report.ok ? "status" : "alert"} p="xs">
        <Text size="sm">{report.ok ? t.publishing.checksPassed : report.message}</Text>
        {report.wordpress_user ? <Text size="xs">{t.publishing.wordpressUser(report.wordpress_user)}</Text> : null}
        {report.ok ? (
          <Text size="xs">{report.plugin_detected ? t.publishing.pluginDetected : t.publishing.pluginMissing}</Text>
        ) : null}
      </Alert>
    </Stack>
  );
}
