import { Group, Text, Title } from "@mantine/core";

/** A page's heading (the one h1), what the page is for, and its main action (if any). */
export function PageHeader({ title, intro, action }: { title: string; intro: string; action?: React.ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={1}>{title}</Title>
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
      </div>
      {action}
    </Group>
  );
}
