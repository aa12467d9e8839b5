import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { signInAs } from "../test/session";
import { creditsMessage } from "./creditsError";
import { GenerateIdeas } from "./GenerateIdeas";
import { cluster } from "./testing";

const g = t.planner.ideas;
const CLUSTERS = [cluster(1, "Running shoes"), cluster(2, "Yoga mats")];

afterEach(() => window.localStorage.clear());

describe("creditsMessage", () => {
  it("reads the 402's cost and available credits", () => {
    const refused = new ApiError(402, "Insufficient credits", { available: ["2"], cost: ["1200"], balance: ["2"] });
    expect(creditsMessage(refused)).toBe(g.needsCredits((1200).toLocaleString(), "2"));
    expect(creditsMessage(new ApiError(400, "Invalid input."))).toBeNull();
  });
});

describe("GenerateIdeas", () => {
  it("shows the cost before starting and a 402 as needs X credits, you have Y", async () => {
    const seen = await signInAs("editor", async (request, path) => {
      if (path === "/api/v1/planner/clusters/generate_ideas/estimate/") {
        // The stand-in billing: 3 credits an idea.
        const body = (await request.json()) as { cluster_ids: string[]; ideas_per_cluster: number };
        const credits = 3 * body.cluster_ids.length * body.ideas_per_cluster;
        return answer(200, { success: true, message: null, request_id: "r", data: { credits, available_credits: 40, enough: true } });
      }
      if (path === "/api/v1/planner/clusters/generate_ideas/") {
        // Spent elsewhere meanwhile: the answer's numbers are the ones shown.
        return answer(
          402,
          { success: false, error: "Insufficient credits: 12 needed, 5 available.", errors: { available: ["5"], cost: ["12"], balance: ["5"] }, request_id: "req-402" },
          "req-402",
        );
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderWithProviders(<GenerateIdeas clusters={CLUSTERS} onClose={() => undefined} />);
    expect(screen.getByText(g.chooseClusters)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: g.start })).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Running shoes (3)" }));
    await user.click(screen.getByRole("checkbox", { name: "Yoga mats (3)" }));
    await user.clear(screen.getByRole("textbox", { name: g.perCluster }));
    await user.type(screen.getByRole("textbox", { name: g.perCluster }), "2");

    expect(await screen.findByText(g.estimate(12, 40))).toBeInTheDocument();
    expect(seen.some((r) => r.url.endsWith("/estimate/"))).toBe(true);

    await user.click(screen.getByRole("button", { name: g.start }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(g.needsCredits("12", "5"));
    expect(alert).toHaveTextContent(t.errors.requestId("req-402"));
  });

  it("says before starting when the credits do not cover it", async () => {
    await signInAs("editor", (_request, path) =>
      path === "/api/v1/planner/clusters/generate_ideas/estimate/"
        ? answer(200, { success: true, message: null, request_id: "r", data: { credits: 9, available_credits: 2, enough: false } })
        : undefined,
    );
    const user = userEvent.setup();
    renderWithProviders(<GenerateIdeas clusters={CLUSTERS} onClose={() => undefined} />);
    await user.click(screen.getByRole("checkbox", { name: "Running shoes (3)" }));
    expect(await screen.findByText(g.needsCredits("9", "2"))).toBeInTheDocument();
  });
});
