import { configure, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// Generous: the machine running the suite may be busy.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { ok, signInAs } from "../test/session";
import { AiSettingsPage } from "./AiSettingsPage";

const KEY = "sk-test-verysecret-4242";

const unset = {
  configured: false, kind: "offline", base_url: null, model: "gpt-4o-mini", embedding_model: "text-embedding-3-small",
  image_model: "dall-e-3", api_key_set: false, api_key_last4: null, updated_at: null,
  message: "No AI provider is configured; the platform default is used.",
};
const saved = {
  ...unset, configured: true, kind: "openai_compatible", base_url: "https://llm.example/v1", api_key_set: true,
  api_key_last4: "4242", updated_at: "2026-01-02T00:00:00Z", message: null,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("AiSettingsPage", () => {
  it("sends the key once and never shows it back", async () => {
    let current: object = unset;
    const requests = await signInAs("owner", {
      "GET /api/v1/system/settings/ai/": () => answer(200, ok(current)),
      "PUT /api/v1/system/settings/ai/": () => {
        current = saved;
        return answer(200, ok(saved, "AI settings saved."));
      },
    });
    const { container } = renderWithProviders(<AiSettingsPage />);
    await userEvent.selectOptions(await screen.findByRole("combobox", { name: t.settings.provider }), "openai_compatible");
    await userEvent.click(screen.getByRole("textbox", { name: new RegExp(`^${t.settings.baseUrl}`) }));
    await userEvent.paste("https://llm.example/v1");
    const keyInput = screen.getByLabelText(new RegExp(`^${t.settings.apiKey}`));
    expect(keyInput).toHaveAttribute("type", "password");
    await userEvent.click(keyInput);
    await userEvent.paste(KEY);
    await userEvent.click(screen.getByRole("button", { name: t.settings.saveAi }));

    await vi.waitFor(() => expect(screen.getByTestId("ai-key-status")).toHaveTextContent(t.settings.keyStored));
    const put = requests.find((r) => r.method === "PUT");
    expect(await put?.json()).toMatchObject({ kind: "openai_compatible", base_url: "https://llm.example/v1", api_key: KEY });
    // Once saved, the form holds no key and the page shows none of it (only the API's last four).
    await vi.waitFor(() => expect(screen.getByLabelText(new RegExp(`^${t.settings.apiKey}`))).toHaveValue(""));
    expect(screen.getByText(t.settings.apiKeyHintStored("4242"))).toBeInTheDocument();
    expect(container.innerHTML).not.toContain(KEY);
    expect(document.body.innerHTML).not.toContain("verysecret");
  });

  it("keeps the stored key when the field is left empty, and shows a test's result", async () => {
    const requests = await signInAs("admin", {
      "GET /api/v1/system/settings/ai/": () => answer(200, ok(saved)),
      "POST /api/v1/system/settings/ai/test/": () =>
        answer(200, ok({ ok: false, outcome: "unreachable", message: "Connection refused by llm.example.", latency_ms: null, model: "gpt-4o-mini" })),
    });
    renderWithProviders(<AiSettingsPage />);
    await userEvent.click(await screen.findByRole("button", { name: t.settings.testConnection }));
    const result = await screen.findByTestId("ai-test-result");
    expect(result).toHaveTextContent(t.settings.testFailed);
    expect(result).toHaveTextContent(t.settings.testOutcome.unreachable ?? "");
    expect(result).toHaveTextContent("Connection refused by llm.example.");
    const sent = (await requests.find((r) => r.method === "POST")?.json()) as Record<string, unknown>;
    expect(sent).not.toHaveProperty("api_key");
    expect(sent.base_url).toBe("https://llm.example/v1");
  });

  it("shows the API's field errors next to their fields", async () => {
    await signInAs("owner", {
      "GET /api/v1/system/settings/ai/": () => answer(200, ok(unset)),
      "PUT /api/v1/system/settings/ai/": () =>
        answer(400, {
          success: false, error: "Invalid input.", request_id: "r",
          errors: { api_key: ["An API key is required for an openai_compatible provider."] },
        }),
    });
    renderWithProviders(<AiSettingsPage />);
    await userEvent.selectOptions(await screen.findByRole("combobox", { name: t.settings.provider }), "openai_compatible");
    await userEvent.click(screen.getByRole("button", { name: t.settings.saveAi }));
    expect(await screen.findByText("An API key is required for an openai_compatible provider.")).toBeInTheDocument();
    expect(screen.getByLabelText(new RegExp(`^${t.settings.apiKey}`))).toHaveAttribute("aria-invalid", "true");
  });

  it("offers an editor no form", async () => {
    await signInAs("editor", { "GET /api/v1/system/settings/ai/": () => answer(200, ok(saved)) });
    renderWithProviders(<AiSettingsPage />);
    const readOnly = await screen.findByTestId("ai-read-only");
    expect(within(readOnly).getByText(new RegExp("https://llm.example/v1"))).toBeInTheDocument();
    expect(screen.getByText(t.settings.aiReadOnly)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.settings.saveAi })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(new RegExp(`^${t.settings.apiKey}`))).not.toBeInTheDocument();
  });
});
