import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { ApiError } from "../api/errors";
import { session } from "../auth/session";
import { answer, renderWithProviders } from "../test/render";
import { ok, signInAs } from "../test/session";
import { StartError } from "./CreditsNeeded";
import { GenerateArticlesDialog } from "./GenerateDialogs";

const TASKS = ["7a000000-0000-4000-8000-000000000001", "7a000000-0000-4000-8000-000000000002"];

afterEach(async () => {
  cleanup();
  await session.signOut().catch(() => undefined);
});

describe("StartError", () => {
  it("reads a 402 as 'needs X credits, you have Y'", () => {
    const refused = new ApiError(402, "This operation needs 120 credits; 100 are available.", {
      available: ["100"],
      cost: ["120"],
      balance: ["100"],
    });
    renderWithProviders(<StartError error={refused} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Not enough credits: this needs 120 credits, you have 100.");
  });

  it("shows any other refusal with its message and request id", () => {
    renderWithProviders(<StartError error={new ApiError(409, "Some tasks are being written already.", {}, "req-9")} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Some tasks are being written already.");
    expect(screen.getByRole("alert")).toHaveTextContent("Request id: req-9");
  });
});

describe("GenerateArticlesDialog", { timeout: 30_000 }, () => {
  it("shows the API's estimate, then the 402's shortfall, and starts nothing", async () => {
    const seen = await signInAs("editor", {
      "/api/v1/system/author-profiles/": () =>
        answer(200, {
          success: true,
          count: 1,
          next: null,
          previous: null,
          request_id: "r",
          results: [
            {
              id: "9a000000-0000-4000-8000-000000000001",
              name: "Greta",
              description: "",
              tone: "friendly",
              language: "de-DE",
              structure_template: {},
              is_active: true,
              created_at: "2026-01-01T00:00:00Z",
              updated_at: "2026-01-01T00:00:00Z",
            },
          ],
        }),
      "POST /api/v1/writer/tasks/generate_content/estimate/": () =>
        answer(200, ok({ credits: 120, available_credits: 100, enough: false })),
      "POST /api/v1/writer/tasks/generate_content/": () =>
        answer(402, {
          success: false,
          error: "This operation needs 120 credits; 100 are available.",
          errors: { available: ["100"], cost: ["120"], balance: ["100"] },
          request_id: "r",
        }),
    });
    renderWithProviders(<GenerateArticlesDialog taskIds={TASKS} onClose={() => undefined} />);

    const estimate = await screen.findByTestId("cost-estimate");
    expect(estimate).toHaveTextContent("This costs at most 120 credits; 100 are available.");
    const profile = screen.getByRole("combobox", { name: /Author profile/ });
    await screen.findByRole("option", { name: "Greta (de-DE)" });
    await userEvent.selectOptions(profile, "Greta (de-DE)");
    await userEvent.click(screen.getByRole("button", { name: "Start" }));

    expect(await screen.findByTestId("credits-needed")).toHaveTextContent("this needs 120 credits, you have 100");
    expect(screen.queryByTestId("operation-progress")).not.toBeInTheDocument();
    const started = seen.find((r) => r.url.endsWith("/generate_content/"));
    expect(await started?.json()).toEqual({ task_ids: TASKS, author_profile_id: "9a000000-0000-4000-8000-000000000001" });
  });
});
