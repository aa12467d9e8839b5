import { Anchor, Paper, Stack, Text, Title } from "@mantine/core";

import { t } from "../i18n/strings";

/** A module page that is not built yet: says so plainly, shows no made-up data. */
export function ComingNext({ page }: { page: string }) {
  return (
    <Stack gap="md">
      <Title order={1}>{page}</Title>
      <Paper withBorder p="lg" radius="md" data-testid="coming-next">
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t.shell.comingNextTitle(page)}
          </Title>
          <Text size="sm">{t.shell.comingNextBody}</Text>
          <Anchor href="/docs" size="sm">
            {t.shell.openApiDocs}
          </Anchor>
        </Stack>
      </Paper>
    </Stack>
  );
}

export function NotFound() {
  return (
    <Stack gap="md">
      <Title order={1}>{t.shell.notFoundTitle}</Title>
      <Text>{t.shell.notFoundBody}</Text>
      <Anchor href="/">{t.shell.backHome}</Anchor>
    </Stack>
  );
}
