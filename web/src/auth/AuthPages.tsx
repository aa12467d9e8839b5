import { Alert, Anchor, Center, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";

import { t } from "../i18n/strings";
import classes from "../shell/layout.module.css";
import { LoginForm } from "./LoginForm";
import { SignupForm } from "./SignupForm";
import { useSession } from "./useSession";

function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center component="main" id="main" className={classes.authPage}>
      <Paper withBorder shadow="sm" p="xl" radius="md" className={classes.authCard}>
        <Stack gap="lg">
          <Text fw={700} c="blue.8" size="lg">
            {t.app.name}
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

export function LoginPage() {
  const state = useSession();
  const notice = state.status === "signed-out" ? state.notice : null;
  return (
    <AuthCard title={t.auth.signInTitle}>
      {notice ? (
        <Alert color="blue" role="status">
          {notice}
        </Alert>
      ) : null}
      {/* Once signed in, the route's guard moves on to the page asked for. */}
      <LoginForm />
      <Text size="sm">
        {t.auth.noAccount}{" "}
        <Anchor component={Link} to="/signup">
          {t.auth.createOne}
        </Anchor>
      </Text>
    </AuthCard>
  );
}

export function SignupPage() {
  return (
    <AuthCard title={t.auth.signUpTitle}>
      <SignupForm />
      <Text size="sm">
        {t.auth.haveAccount}{" "}
        <Anchor component={Link} to="/login">
          {t.auth.signInInstead}
        </Anchor>
      </Text>
    </AuthCard>
  );
}
