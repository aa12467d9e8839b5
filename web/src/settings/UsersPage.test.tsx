import { configure, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// Generous: the machine running the suite may be busy.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { listing, signInAs, type Routes } from "../test/session";
import { UsersPage } from "./UsersPage";

const person = (id: string, role: string, email: string, first = "") => ({
  id, account_id: "a1", email, first_name: first, last_name: "", role, is_active: true, created_at: "2026-01-01T00:00:00Z",
});
const owner = person("u-owner", "owner", "owner@example.com");
const admin = person("u-admin", "admin", "admin@example.com");
const otherOwner = person("u-2", "owner", "second-owner@example.com", "Grace");
const editor = person("u-3", "editor", "ed@example.com", "Edd");
const site = { id: "s-1", account_id: "a1", name: "Garden blog", domain: null, is_active: true, created_at: "2026-01-01T00:00:00Z" };

const routes = (users: unknown[], extra: Routes = {}): Routes => ({
  "GET /api/v1/auth/users/": () => answer(200, listing(users)),
  "GET /api/v1/auth/site-access/": () => answer(200, listing([])),
  "GET /api/v1/auth/sites/": () => answer(200, listing([site])),
  ...extra,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("UsersPage", () => {
  it("shows the API's refusal of a role change next to the role field", async () => {
    const requests = await signInAs(
      "owner",
      routes([owner, otherOwner, editor], {
        "PATCH /api/v1/auth/users/u-2/": () =>
          answer(
            403,
            {
              success: false,
              error: "You cannot assign this role",
              errors: { role: ["You cannot assign this role"] },
              request_id: "req-role",
            },
            "req-role",
          ),
      }),
    );
    renderWithProviders(<UsersPage />);
    await userEvent.click(await screen.findByRole("button", { name: t.settings.changeRoleOf("Grace") }));
    const dialog = await screen.findByRole("dialog");
    const role = within(dialog).getByRole("combobox", { name: t.settings.role });
    await userEvent.selectOptions(role, "viewer");
    await userEvent.click(within(dialog).getByRole("button", { name: t.settings.save }));

    const error = await within(dialog).findByText("You cannot assign this role");
    expect(role).toHaveAttribute("aria-invalid", "true");
    expect(role.getAttribute("aria-describedby")).toContain(error.id);
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    const sent = requests.find((r) => r.method === "PATCH");
    expect(await sent?.json()).toEqual({ role: "viewer" });
  });

  it("offers an admin no owner role and no control over owners or themselves", async () => {
    await signInAs("admin", routes([owner, admin, editor]));
    renderWithProviders(<UsersPage />);
    expect(await screen.findAllByRole("cell", { name: "owner@example.com" })).not.toHaveLength(0);
    expect(screen.queryByRole("button", { name: t.settings.changeRoleOf("owner@example.com") })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.settings.changeRoleOf("admin@example.com") })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: t.settings.changeRoleOf("Edd") }));
    const options = within(await screen.findByRole("dialog")).getAllByRole("option").map((o) => o.getAttribute("value"));
    expect(options).toEqual(["admin", "editor", "viewer"]);
  });

  it("adds a user, the API's field errors at their fields", async () => {
    const requests = await signInAs(
      "owner",
      routes([owner], {
        "POST /api/v1/auth/users/": () =>
          answer(400, { success: false, error: "Invalid input.", errors: { password: ["This password is too common."] }, request_id: "r" }),
      }),
    );
    renderWithProviders(<UsersPage />);
    expect(await screen.findByTestId("users-empty")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: t.settings.addUser }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("textbox", { name: new RegExp(`^${t.settings.email}`) }));
    await userEvent.paste("new@example.com");
    await userEvent.click(within(dialog).getByLabelText(new RegExp(`^${t.settings.password}`)));
    await userEvent.paste("password123");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: t.settings.role }), "viewer");
    await userEvent.click(within(dialog).getByRole("button", { name: t.settings.create }));
    expect(await within(dialog).findByText("This password is too common.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText(new RegExp(`^${t.settings.password}`))).toHaveAttribute("aria-invalid", "true");
    const sent = requests.find((r) => r.method === "POST");
    expect(await sent?.json()).toEqual({ email: "new@example.com", password: "password123", role: "viewer", first_name: "", last_name: "" });
  });

  it("offers editors and viewers nothing and asks no list it would be refused", async () => {
    const requests = await signInAs("editor", routes([owner]));
    renderWithProviders(<UsersPage />);
    expect(await screen.findByText(t.settings.usersManagersOnly)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.settings.addUser })).not.toBeInTheDocument();
    expect(requests.filter((r) => r.url.includes("/auth/users/"))).toEqual([]);
  });
});
