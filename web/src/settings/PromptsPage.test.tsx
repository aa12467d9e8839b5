import { configure, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// Generous: the machine running the suite may be busy.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { listing, ok, signInAs } from "../test/session";
import { PromptsPage } from "./PromptsPage";

const DEFAULT = "Group these keywords: {{keywords}} (sector {{sector}})";
const prompt = {
  prompt_type: "auto_cluster", template: DEFAULT, default_template: DEFAULT, is_overridden: false,
  variables: { required: ["keywords"], optional: ["sector"] }, updated_at: null,
};
const VARIABLE_ERROR = "Unknown variable(s): colour; allowed: keywords, sector.";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("PromptsPage", () => {
  it("shows the API's variable errors under the template, then saves a good override", async () => {
    const requests = await signInAs("owner", {
      "GET /api/v1/system/prompts/": () => answer(200, listing([prompt])),
      "PUT /api/v1/system/prompts/auto_cluster/": async (request) => {
        const { template } = (await request.json()) as { template: string };
        return template.includes("{{colour}}")
          ? answer(400, { success: false, error: "Invalid input.", errors: { template: [VARIABLE_ERROR] }, request_id: "r" })
          : answer(200, ok({ ...prompt, template, is_overridden: true, updated_at: "2026-01-02T00:00:00Z" }));
      },
    });
    renderWithProviders(<PromptsPage />);
    const template = await screen.findByRole("textbox", { name: t.settings.template });
    expect(screen.getByText("{{keywords}}")).toBeInTheDocument();
    await userEvent.clear(template);
    await userEvent.click(template);
    await userEvent.paste("Cluster {{keywords}} by {{colour}}");
    await userEvent.click(screen.getByRole("button", { name: t.settings.savePrompt }));

    const error = await screen.findByText(VARIABLE_ERROR);
    expect(template).toHaveAttribute("aria-invalid", "true");
    expect(template.getAttribute("aria-describedby")).toContain(error.id);
    expect(screen.getByTestId("prompt-state")).toHaveTextContent(t.settings.defaultPrompt);

    await userEvent.clear(template);
    await userEvent.click(template);
    await userEvent.paste("Cluster {{keywords}} well");
    await userEvent.click(screen.getByRole("button", { name: t.settings.savePrompt }));
    await vi.waitFor(() => expect(screen.getByTestId("prompt-state")).toHaveTextContent(t.settings.overridden));
    expect(screen.queryByText(VARIABLE_ERROR)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.settings.resetPrompt })).toBeInTheDocument();
    const puts = requests.filter((r) => r.method === "PUT");
    expect(await puts[1]?.json()).toEqual({ template: "Cluster {{keywords}} well" });
  });

  it("is read-only for an editor", async () => {
    await signInAs("editor", { "GET /api/v1/system/prompts/": () => answer(200, listing([{ ...prompt, is_overridden: true }])) });
    renderWithProviders(<PromptsPage />);
    expect(await screen.findByRole("textbox", { name: t.settings.template })).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: t.settings.savePrompt })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.settings.resetPrompt })).not.toBeInTheDocument();
  });
});
