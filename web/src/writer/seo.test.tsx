import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithProviders } from "../test/render";
import { characters, LengthCounter, META_DESCRIPTION_LIMIT, META_TITLE_LIMIT, SearchAppearance, SerpPreview } from "./seo";

describe("LengthCounter", () => {
  it("counts characters against the recommended limit", () => {
    renderWithProviders(<LengthCounter value="Pruning roses" limit={META_TITLE_LIMIT} />);
    expect(screen.getByText("13 of about 60 characters")).toBeInTheDocument();
  });

  it("says in words (not only in colour) when the text is too long", () => {
    renderWithProviders(<LengthCounter value={"x".repeat(161)} limit={META_DESCRIPTION_LIMIT} />);
    const warning = screen.getByText(/161 characters: over the recommended 155/);
    expect(warning).toHaveAttribute("data-over", "true");
  });

  it("counts what a reader sees as one character once", () => {
    renderWithProviders(<LengthCounter value="🌹👩‍🌾é" limit={60} />);
    expect(screen.getByText("3 of about 60 characters")).toBeInTheDocument();
  });
});

describe("SerpPreview", () => {
  it("shows title, address and description as a search result, cut where search engines cut", () => {
    const long = `${"Roses ".repeat(40)}end`;
    renderWithProviders(<SerpPreview title={long} url="garden.example › pruning-roses" description={long} />);
    const preview = screen.getByRole("region", { name: "Search result preview" });
    expect(preview).toHaveTextContent("garden.example › pruning-roses");
    const title = screen.getByTestId("serp-title").textContent;
    const description = screen.getByTestId("serp-description").textContent;
    expect(title.endsWith("…")).toBe(true);
    expect(characters(title).length).toBeLessThanOrEqual(META_TITLE_LIMIT);
    expect(description.endsWith("…")).toBe(true);
    expect(characters(description).length).toBeLessThanOrEqual(META_DESCRIPTION_LIMIT);
  });

  it("falls back to the article's title and excerpt when the meta fields are empty", () => {
    renderWithProviders(
      <SearchAppearance metaTitle="" metaDescription="" fallbackTitle="Pruning roses" fallbackDescription="How to prune." url="x › y" />,
    );
    expect(screen.getByTestId("serp-title")).toHaveTextContent("Pruning roses");
    expect(screen.getByTestId("serp-description")).toHaveTextContent("How to prune.");
    expect(screen.getByRole("textbox", { name: "Meta title" })).toHaveAttribute("readonly");
    expect(screen.getAllByText("0 of about 60 characters")).toHaveLength(1);
    expect(screen.getAllByText("0 of about 155 characters")).toHaveLength(1);
  });
});
