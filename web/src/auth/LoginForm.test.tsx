import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { t } from "../i18n/strings";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import { LoginForm } from "./LoginForm";

describe("LoginForm", () => {
  it("shows required-field errors without calling the API", async () => {
    const requests = stubFetch(() => answer(500, {}));
    renderWithProviders(<LoginForm />);
    await userEvent.click(screen.getByRole("button", { name: t.auth.signIn }));
    const email = screen.getByLabelText(new RegExp(t.auth.email));
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(screen.getAllByText(t.auth.required)).toHaveLength(2);
    expect(requests).toHaveLength(0);
  });

  it("shows the API's field errors next to their fields", async () => {
    const requests = stubFetch(() =>
      answer(400, {
        success: false,
        error: "Invalid input.",
        errors: { email: ["Enter a valid email address."], password: ["String should have at most 1024 characters"] },
        request_id: "req-test-1",
      }),
    );
    const done = vi.fn();
    renderWithProviders(<LoginForm onDone={done} />);
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.email)), "someone@example");
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.password)), "secret");
    await userEvent.click(screen.getByRole("button", { name: t.auth.signIn }));

    const emailError = await screen.findByText("Enter a valid email address.");
    const email = screen.getByLabelText(new RegExp(t.auth.email));
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email.getAttribute("aria-describedby")).toContain(emailError.id);
    expect(screen.getByText("String should have at most 1024 characters")).toBeInTheDocument();
    expect(done).not.toHaveBeenCalled();

    const sent = requests[0];
    expect(sent?.url).toMatch(/\/api\/v1\/auth\/login\/$/);
    expect(sent?.headers.get("X-IGNY8-Refresh-Cookie")).toBe("1");
    expect(await sent?.json()).toEqual({ email: "someone@example", password: "secret" });
  });

  it("shows an error of no field above the form, with the request id", async () => {
    stubFetch(() =>
      answer(401, { success: false, error: "Wrong email or password.", request_id: "req-401" }, "req-401"),
    );
    renderWithProviders(<LoginForm />);
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.email)), "someone@example.com");
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.password)), "wrong-password");
    await userEvent.click(screen.getByRole("button", { name: t.auth.signIn }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Wrong email or password.");
    expect(alert).toHaveTextContent(t.errors.requestId("req-401"));
  });

  it("signs in and keeps no refresh token in the page", async () => {
    const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
    stubFetch(() =>
      answer(200, {
        success: true,
        message: "Signed in.",
        request_id: "r",
        data: {
          access: `h.${payload}.s`,
          user: {
            id: "u1", account_id: "a1", email: "someone@example.com", first_name: "", last_name: "",
            role: "owner", is_active: true, created_at: "2026-01-01T00:00:00Z",
            account: { id: "a1", name: "Agency", plan_slug: "starter" },
          },
        },
      }),
    );
    const done = vi.fn();
    renderWithProviders(<LoginForm onDone={done} />);
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.email)), "someone@example.com");
    await userEvent.type(screen.getByLabelText(new RegExp(t.auth.password)), "Correct-Horse-42!");
    await userEvent.click(screen.getByRole("button", { name: t.auth.signIn }));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
  });
});
