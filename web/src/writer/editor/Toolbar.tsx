import { Button, Group, Popover, Stack, TextInput, VisuallyHidden } from "@mantine/core";
import { useEditorState, type Editor } from "@tiptap/react";
import { useState } from "react";

import { t } from "../../i18n/strings";
import classes from "./editor.module.css";

function Mark({ label, text, active, onClick }: { label: string; text: string; active: boolean; onClick: () => void }) {
  return (
    <Button size="compact-sm" variant={active ? "filled" : "subtle"} aria-pressed={active} onClick={onClick}>
      {/* The accessible name starts with the visible text (axe: label-content-name-mismatch). */}
      {text}
      <VisuallyHidden>{` ${label}`}</VisuallyHidden>
    </Button>
  );
}

function LinkButton({ editor, active }: { editor: Editor; active: boolean }) {
  const [opened, setOpened] = useState(false);
  const [href, setHref] = useState("");
  const apply = () => {
    const chain = editor.chain().focus().extendMarkRange("link");
    if (href.trim()) chain.setLink({ href: href.trim() }).run();
    else chain.unsetLink().run();
    setOpened(false);
  };
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      trapFocus
      withinPortal={false}
      onOpen={() => setHref(String(editor.getAttributes("link").href ?? ""))}
    >
      <Popover.Target>
        <Button size="compact-sm" variant={active ? "filled" : "subtle"} aria-pressed={active} onClick={() => setOpened((o) => !o)}>
          {t.writer.link}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput
            label={t.writer.linkUrl}
            value={href}
            onChange={(event) => setHref(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                apply();
              }
            }}
          />
          <Button size="xs" onClick={apply}>
            {t.writer.apply}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** Formatting buttons; each says whether it is on (aria-pressed). */
export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      quote: e.isActive("blockquote"),
      link: e.isActive("link"),
      undo: e.can().undo(),
      redo: e.can().redo(),
    }),
  });
  const run = () => editor.chain().focus();
  return (
    <Group gap={4} className={classes.toolbar} role="toolbar" aria-label={t.writer.toolbar}>
      <Mark label={t.writer.bold} text="B" active={state.bold} onClick={() => run().toggleBold().run()} />
      <Mark label={t.writer.italic} text="I" active={state.italic} onClick={() => run().toggleItalic().run()} />
      <Mark label={t.writer.heading2} text="H2" active={state.h2} onClick={() => run().toggleHeading({ level: 2 }).run()} />
      <Mark label={t.writer.heading3} text="H3" active={state.h3} onClick={() => run().toggleHeading({ level: 3 }).run()} />
      <Mark label={t.writer.bulletList} text="•" active={state.bullet} onClick={() => run().toggleBulletList().run()} />
      <Mark label={t.writer.orderedList} text="1." active={state.ordered} onClick={() => run().toggleOrderedList().run()} />
      <Mark label={t.writer.quote} text="❝" active={state.quote} onClick={() => run().toggleBlockquote().run()} />
      <LinkButton editor={editor} active={state.link} />
      <Button size="compact-sm" variant="subtle" disabled={!state.undo} onClick={() => run().undo().run()}>
        {t.writer.undo}
      </Button>
      <Button size="compact-sm" variant="subtle" disabled={!state.redo} onClick={() => run().redo().run()}>
        {t.writer.redo}
      </Button>
    </Group>
  );
}
