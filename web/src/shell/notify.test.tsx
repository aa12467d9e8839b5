import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";
import { notifyError } from "./notify";

describe("notifyError", () => {
  it("toasts the failure with its request id", async () => {
    render(
      <MantineProvider>
        <Notifications />
      </MantineProvider>,
    );
    act(() => {
      notifyError(new ApiError(503, "A backing service is unavailable; retry shortly.", {}, "req-42"));
    });
    expect(await screen.findByText("A backing service is unavailable; retry shortly.")).toBeInTheDocument();
    expect(screen.getByText(t.errors.requestId("req-42"))).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.errors.dismiss })).toBeInTheDocument();
  });
});
