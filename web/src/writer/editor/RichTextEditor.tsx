import { Input } from "@mantine/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useId, useRef } from "react";

import classes from "./editor.module.css";
import { articleExtensions, type ResolveSrc } from "./extensions";
import { Toolbar } from "./Toolbar";

/**
 * The article body as rich text (TipTap). `onChange` gets the HTML after every edit;
 * `onReady` the HTML as the editor first renders it (what "unchanged" means).
 */
export function RichTextEditor({
  label,
  initialHtml,
  resolveSrc,
  readOnly,
  error,
  onChange,
  onReady,
}: {
  label: string;
  initialHtml: string;
  resolveSrc?: ResolveSrc;
  readOnly: boolean;
  error?: string | null;
  onChange: (html: string) => void;
  onReady?: (html: string) => void;
}) {
  const errorId = useId();
  const labelId = useId();
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);
  const editor = useEditor({
    extensions: articleExtensions(resolveSrc),
    content: initialHtml,
    editable: !readOnly,
    // The app's CSP refuses inline <style>: the editor's CSS comes with this chunk instead.
    injectCSS: false,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    onUpdate: ({ editor: current }) => changed.current(current.getHTML()),
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        ...(readOnly ? { "aria-readonly": "true" } : {}),
        ...(error ? { "aria-invalid": "true", "aria-describedby": errorId } : {}),
        "data-testid": "article-body",
      },
    },
  });
  const ready = useRef(onReady);
  useEffect(() => {
    ready.current?.(editor.getHTML());
  }, [editor]);

  return (
    <div>
      <Input.Label id={labelId}>{label}</Input.Label>
      <div className={classes.frame} data-invalid={error ? true : undefined}>
        {readOnly ? null : <Toolbar editor={editor} />}
        <EditorContent editor={editor} className={classes.content} />
      </div>
      {error ? <Input.Error id={errorId}>{error}</Input.Error> : null}
    </div>
  );
}
