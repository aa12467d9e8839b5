import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithProviders } from "../test/render";
import { textOf } from "./diffText";
import { VersionDiff } from "./VersionDiff";

describe("VersionDiff", () => {
  it("marks added and removed words, named for screen readers and not by colour alone", () => {
    renderWithProviders(
      <VersionDiff
        from={1}
        to={2}
        before={{ title: "Pruning roses", html: "<p>Cut above a bud in March.</p>" }}
        after={{ title: "Pruning roses", html: "<p>Cut above an outward bud in March.</p><h2>Tools</h2>" }}
      />,
    );
    const diff = screen.getByRole("region", { name: "Changes from version 1 to version 2" });
    const added = [...diff.querySelectorAll("ins")].map((el) => el.textContent);
    const removed = [...diff.querySelectorAll("del")].map((el) => el.textContent);
    expect(added.every((text) => text.startsWith("Added: "))).toBe(true);
    expect(removed).toEqual(["Removed: a"]);
    const words = (texts: string[]) => texts.join(" ").replace(/(Added|Removed): /g, "").split(/\s+/).filter(Boolean);
    expect(words(added)).toEqual(["an", "outward", "Tools"]);
    expect(within(diff).getByTestId("diff-summary")).toHaveTextContent("3 added, 1 removed");
  });

  it("shows a changed title", () => {
    renderWithProviders(
      <VersionDiff from={2} to={3} before={{ title: "Old title", html: "<p>x</p>" }} after={{ title: "New title", html: "<p>x</p>" }} />,
    );
    const diff = screen.getByTestId("version-diff");
    expect(diff.querySelector("del")).toHaveTextContent("Removed: Old");
    expect(diff.querySelector("ins")).toHaveTextContent("Added: New");
  });

  it("keeps the text around a change and cuts long unchanged stretches", () => {
    const filler = "Roses like sun. ".repeat(60);
    renderWithProviders(
      <VersionDiff
        from={1}
        to={2}
        before={{ title: "T", html: `<p>${filler}</p><p>Prune in March.</p><p>${filler}</p>` }}
        after={{ title: "T", html: `<p>${filler}</p><p>Prune in April.</p><p>${filler}</p>` }}
      />,
    );
    const text = screen.getByTestId("version-diff").textContent;
    expect(text).toContain("Prune in Removed: MarchAdded: April");
    expect(text).toContain(" … ");
    expect(text.length).toBeLessThan(filler.length);
  });

  it("says so when the versions are the same", () => {
    renderWithProviders(<VersionDiff from={1} to={1} before={{ title: "T", html: "<p>x</p>" }} after={{ title: "T", html: "<p>x</p>" }} />);
    expect(screen.getByText("The two versions are the same.")).toBeInTheDocument();
  });

  it("compares the text, one block a line, without markup", () => {
    expect(textOf("<h2>Tools</h2><ul><li><p>Secateurs</p></li><li>Gloves</li></ul><figure><img src='x' alt='a'><figcaption>Roses</figcaption></figure>")).toBe(
      "Tools\nSecateurs\nGloves\nRoses",
    );
  });
});
