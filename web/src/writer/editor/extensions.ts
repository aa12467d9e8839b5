/**
 * The article schema for TipTap: StarterKit (paragraphs, h2–h6, lists, quotes, code, marks,
 * links) plus the writer's images — a bare `<img>` or the `<figure><img><figcaption>` the
 * writer places after a heading — so the HTML the API stores comes back out unchanged.
 *
 * An image's `src` stays the API's own (`/api/v1/writer/images/{id}/file`) in the HTML; only
 * the picture shown in the editor is loaded through its signed link (`resolveSrc`), since an
 * `<img>` sends no Authorization header.
 */
import { mergeAttributes, Node, type Extensions } from "@tiptap/core";
import Image, { type ImageOptions } from "@tiptap/extension-image";
import Link from "@tiptap/extension-link";
import StarterKit from "@tiptap/starter-kit";

export type ResolveSrc = (src: string) => string;

const ArticleImage = Image.extend<ImageOptions & { resolveSrc: ResolveSrc }>({
  addOptions() {
    return { ...(this.parent?.() as ImageOptions), resolveSrc: (src: string) => src };
  },
  addAttributes() {
    return { ...this.parent?.(), loading: { default: null } };
  },
  addNodeView() {
    const resolve = this.options.resolveSrc;
    return ({ node, HTMLAttributes }) => {
      const dom = document.createElement("img");
      for (const [key, value] of Object.entries(mergeAttributes(HTMLAttributes))) {
        if (value !== null && value !== undefined && key !== "src") dom.setAttribute(key, String(value));
      }
      dom.src = resolve(String(node.attrs.src ?? ""));
      return { dom };
    };
  },
});

/** Links as the article has them: `href` first, then the attributes it came with. */
const ArticleLink = Link.extend({
  renderHTML(props) {
    const [tag, attributes, hole] = this.parent?.(props) as [string, Record<string, unknown>, 0];
    const { href, ...rest } = attributes;
    return [tag, { href, ...rest }, hole];
  },
});

const Figure = Node.create({
  name: "figure",
  group: "block",
  content: "image figcaption?",
  draggable: true,
  isolating: true,
  parseHTML: () => [{ tag: "figure" }],
  renderHTML: ({ HTMLAttributes }) => ["figure", HTMLAttributes, 0],
});

const Figcaption = Node.create({
  name: "figcaption",
  content: "inline*",
  parseHTML: () => [{ tag: "figcaption" }],
  renderHTML: ({ HTMLAttributes }) => ["figcaption", HTMLAttributes, 0],
});

export function articleExtensions(resolveSrc: ResolveSrc = (src) => src): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4, 5, 6] },
      link: false,
    }),
    // Links keep the attributes the article has; new ones get none (the API adds rel).
    ArticleLink.configure({ openOnClick: false, autolink: false, HTMLAttributes: { target: null, rel: null, class: null } }),
    ArticleImage.configure({ resolveSrc }),
    Figure,
    Figcaption,
  ];
}
