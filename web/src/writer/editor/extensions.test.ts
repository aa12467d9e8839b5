import { Editor } from "@tiptap/core";
import { afterEach, describe, expect, it } from "vitest";

import { articleExtensions } from "./extensions";

let editor: Editor | null = null;

function roundTrip(html: string, resolveSrc?: (src: string) => string): { html: string; element: HTMLElement } {
  const element = document.createElement("div");
  document.body.append(element);
  editor = new Editor({ element, extensions: articleExtensions(resolveSrc), content: html, injectCSS: false });
  return { html: editor.getHTML(), element };
}

afterEach(() => {
  editor?.destroy();
  editor = null;
});

const IMAGE = "/api/v1/writer/images/6f1b7a52-0000-4000-8000-00000000000a/file";

describe("the article schema", () => {
  it("gives back the HTML the writer stores, with its images and captions", () => {
    const stored =
      "<p><strong>[offline]</strong> An article about roses.</p><h2>Pruning</h2>" +
      `<figure><img src="${IMAGE}" alt="Secateurs on a rose stem" loading="lazy"><figcaption>Cut above a bud.</figcaption></figure>` +
      "<p>Cut in <em>early spring</em>, see <a href=\"https://example.com/roses\" rel=\"noopener noreferrer\">the guide</a>.</p>" +
      "<h3>Tools</h3><blockquote><p>Sharp tools heal faster.</p></blockquote><hr>";
    expect(roundTrip(stored).html).toBe(stored);
  });

  it("keeps a figure without a caption and a bare image", () => {
    const stored = `<figure><img src="${IMAGE}" alt="" loading="lazy"></figure><img src="${IMAGE}" alt="b">`;
    expect(roundTrip(stored).html).toBe(stored);
  });

  it("shows an image through its signed link but keeps the API's src in the HTML", () => {
    const stored = `<figure><img src="${IMAGE}" alt="a" loading="lazy"></figure>`;
    const { html, element } = roundTrip(stored, (src) => `${src}?signature=abc`);
    expect(html).toBe(stored);
    expect(element.querySelector("img")?.getAttribute("src")).toBe(`${IMAGE}?signature=abc`);
  });
});
