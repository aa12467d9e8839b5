import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithProviders } from "../test/render";
import type { ConnectionTest } from "./api";
import { ConnectionChecks } from "./ConnectionChecks";

describe("ConnectionChecks", () => {
  it("shows the four checks one by one, stopping at the failed one", () => {
    const report: ConnectionTest = {
      ok: false,
      message: "WordPress refused the user name or application password.",
      checks: [
        { name: "address", ok: true, message: "blog.example.com resolves to a public address" },
        { name: "rest_api", ok: true, message: "The REST API answered" },
        { name: "credentials", ok: false, message: "401 Unauthorized" },
        { name: "can_publish", ok: null, message: "" },
      ],
      wordpress_user: null,
      plugin_detected: false,
    };
    renderWithProviders(<ConnectionChecks report={report} />);
    const list = screen.getByRole("list", { name: "Connection test" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent("Address reachable (not private): Passed");
    expect(items[1]).toHaveTextContent("WordPress REST API answers: Passed");
    expect(items[2]).toHaveTextContent("User name and application password accepted: Failed");
    expect(items[2]).toHaveTextContent("401 Unauthorized");
    expect(items[3]).toHaveTextContent("User may publish posts: Not run");
    expect(screen.getByRole("alert")).toHaveTextContent("WordPress refused the user name or application password.");
  });

  it("says all passed, who signed in and whether the bridge plugin is there", () => {
    const report: ConnectionTest = {
      ok: true,
      message: "Connected.",
      checks: (["address", "rest_api", "credentials", "can_publish"] as const).map((name) => ({ name, ok: true, message: "" })),
      wordpress_user: "admin",
      plugin_detected: true,
    };
    renderWithProviders(<ConnectionChecks report={report} />);
    expect(screen.getAllByText(/: Passed$/)).toHaveLength(4);
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent("All checks passed.");
    expect(status).toHaveTextContent("Signed in to WordPress as admin.");
    expect(status).toHaveTextContent("The IGNY8 bridge plugin is installed.");
  });
});
