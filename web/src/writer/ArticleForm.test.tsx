import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { session } from "../auth/session";
import { answer, renderWithProviders } from "../test/render";
import { ok, signInAs } from "../test/session";
import { ArticleForm } from "./ArticleForm";
import { article, CONTENT_ID } from "./testData";

const PATH = `/api/v1/writer/content/${CONTENT_ID}/`;

function renderForm() {
  return renderWithProviders(<ArticleForm content={article} resolveSrc={(src) => src} onTitle={() => undefined} />);
}

afterEach(async () => {
  cleanup();
  await session.signOut().catch(() => undefined);
});

describe("ArticleForm", { timeout: 30_000 }, () => {
  it("shows the API's field error next to the title and keeps the edit", async () => {
    const seen = await signInAs("editor", {
      [`PATCH ${PATH}`]: () =>
        answer(400, { success: false, error: "Invalid input.", errors: { title: ["may not be blank"] }, request_id: "r" }),
    });
    renderForm();
    const title = screen.getByRole("textbox", { name: /^Title/ });
    await userEvent.clear(title);
    await userEvent.type(title, "   ");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("may not be blank")).toBeInTheDocument();
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription("may not be blank");
    expect(title).toHaveValue("   ");
    const patch = seen.find((r) => r.method === "PATCH");
    // Only what changed is sent: the title, not the untouched body.
    expect(await patch?.json()).toEqual({ title: "   " });
  });

  it("saves a changed title alone as a new version", async () => {
    const seen = await signInAs("editor", {
      [`PATCH ${PATH}`]: () => answer(200, ok({ ...article, title: "Pruning roses in March", version: 3 }, "Content updated.")),
      [`GET /api/v1/writer/content/${CONTENT_ID}/versions/`]: () =>
        answer(200, ok({ content_id: CONTENT_ID, current_version: 3, versions: [] })),
    });
    renderForm();
    expect(await screen.findByTestId("article-body")).toHaveTextContent("Cut above an outward-facing bud.");
    const title = screen.getByRole("textbox", { name: /^Title/ });
    await userEvent.clear(title);
    await userEvent.type(title, "Pruning roses in March");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(seen.some((r) => r.method === "PATCH")).toBe(true));
    const patch = seen.find((r) => r.method === "PATCH");
    // The body was not touched: only the title is sent.
    expect(await patch?.json()).toEqual({ title: "Pruning roses in March" });
  });

  it("offers a viewer no way to change the article", async () => {
    await signInAs("viewer", {});
    renderForm();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(screen.queryByRole("toolbar", { name: "Formatting" })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Title/ })).toHaveAttribute("readonly");
    expect(await screen.findByTestId("article-body")).toHaveAttribute("contenteditable", "false");
  });
});
