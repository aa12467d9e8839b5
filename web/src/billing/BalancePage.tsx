import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { ConfirmDialog } from "../shell/ConfirmDialog";
import { notifySuccess } from "../shell/notify";
import { PageHeader } from "../shell/PageHeader";
import { LoadError, Loading } from "../shell/QueryState";
import { balanceQuery, plansQuery, useChangePlan, type Balance, type Plan } from "./api";

const day = (iso: string) => new Date(iso).toLocaleDateString();

function Figure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

function BalanceFigures({ balance, planName }: { balance: Balance; planName: string }) {
  return (
    <Stack gap="sm" data-testid="balance">
      <Text>
        {t.billing.currentPlan}: <strong data-testid="current-plan">{planName}</strong> · {t.billing.period}:{" "}
        {t.billing.periodRange(day(balance.period_start), day(balance.period_end))}
      </Text>
      {/* Not SimpleGrid: it injects a <style> element, which the app's CSP refuses. */}
      <Group grow align="stretch">
        <Figure testId="available" label={t.billing.available} value={t.billing.credits(balance.available_credits)} />
        <Figure testId="plan-credits" label={t.billing.planCredits} value={t.billing.credits(balance.plan_credits)} />
        <Figure testId="bonus-credits" label={t.billing.bonusCredits} value={t.billing.credits(balance.bonus_credits)} />
        <Figure
          testId="held-credits"
          label={t.billing.held}
          value={t.billing.credits(balance.held_credits)}
          hint={t.billing.heldHint(balance.open_holds)}
        />
      </Group>
    </Stack>
  );
}

function ChangePlanDialog({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const change = useChangePlan();
  return (
    <ConfirmDialog
      title={t.billing.switchPlan}
      text={t.billing.confirmSwitch(plan.name, plan.monthly_credits)}
      confirm={t.billing.switchConfirm}
      color="blue"
      busy={change.isPending}
      error={change.error}
      onCancel={onClose}
      onConfirm={() =>
        change.mutate(plan.slug, {
          onSuccess: () => {
            notifySuccess(t.billing.switched(plan.name));
            onClose();
          },
        })
      }
    />
  );
}

function PlansTable({ plans, currentSlug, manage }: { plans: Plan[]; currentSlug: string | null; manage: boolean }) {
  const [chosen, setChosen] = useState<Plan | null>(null);
  return (
    <>
      <Table aria-labelledby="plans-heading" data-testid="plans-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t.billing.planName}</Table.Th>
            <Table.Th scope="col">{t.billing.monthlyCredits}</Table.Th>
            <Table.Th scope="col">{t.billing.price}</Table.Th>
            <Table.Th scope="col">{t.billing.maxSites}</Table.Th>
            <Table.Th scope="col">{t.billing.maxUsers}</Table.Th>
            <Table.Th scope="col">{t.billing.actions}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plans.map((plan) => (
            <Table.Tr key={plan.slug}>
              <Table.Td>{plan.name}</Table.Td>
              <Table.Td>{plan.monthly_credits.toLocaleString()}</Table.Td>
              <Table.Td>{plan.price_monthly}</Table.Td>
              <Table.Td>{plan.max_sites.toLocaleString()}</Table.Td>
              <Table.Td>{plan.max_users.toLocaleString()}</Table.Td>
              <Table.Td>
                {plan.slug === currentSlug ? (
                  <Badge variant="light" color="green">
                    {t.billing.current}
                  </Badge>
                ) : manage ? (
                  <Button size="xs" variant="light" onClick={() => setChosen(plan)}>
                    {t.billing.switchTo(plan.name)}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {chosen ? <ChangePlanDialog plan={chosen} onClose={() => setChosen(null)} /> : null}
    </>
  );
}

/** Billing → Balance: both credit pools, what running operations hold, the period; the plans,
 * and (owners) a plan change. */
export function BalancePage() {
  const user = useUser();
  const manage = can.manageBilling(user.role);
  const balance = useQuery(balanceQuery);
  const plans = useQuery(plansQuery);
  const current = balance.data?.plan_slug ?? null;
  const planName = plans.data?.find((p) => p.slug === current)?.name ?? current ?? "";

  return (
    <Stack gap="lg">
      <PageHeader title={t.billing.balanceTitle} intro={t.billing.balanceIntro} />
      {balance.isPending ? (
        <Loading />
      ) : balance.isError ? (
        <LoadError title={t.billing.balanceLoadFailed} error={balance.error} onRetry={() => void balance.refetch()} />
      ) : (
        <BalanceFigures balance={balance.data} planName={planName} />
      )}

      <Stack gap="sm" component="section" aria-labelledby="plans-heading">
        <Title order={2} size="h3" id="plans-heading">
          {t.billing.plansTitle}
        </Title>
        {!manage ? (
          <Alert color="blue" role="note">
            {t.billing.ownersOnly}
          </Alert>
        ) : null}
        {plans.isPending ? (
          <Loading />
        ) : plans.isError ? (
          <LoadError title={t.billing.plansLoadFailed} error={plans.error} onRetry={() => void plans.refetch()} />
        ) : plans.data.length === 0 ? (
          <Text c="dimmed">{t.billing.plansEmpty}</Text>
        ) : (
          <PlansTable plans={plans.data} currentSlug={current} manage={manage} />
        )}
      </Stack>
    </Stack>
  );
}
