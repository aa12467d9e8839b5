import { Group, NativeSelect, TextInput } from "@mantine/core";
import { useEffect, useRef, useState } from "react";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";
import { KEYWORD_INTENTS, useKeywordMutations, type Keyword, type KeywordEdit } from "./api";
import classes from "./planner.module.css";

export type EditableField = "keyword" | "volume" | "difficulty" | "cpc" | "intent";

const LABELS: Record<EditableField, string> = {
  keyword: t.planner.keywords.keyword,
  volume: t.planner.keywords.volume,
  difficulty: t.planner.keywords.difficulty,
  cpc: t.planner.keywords.cpc,
  intent: t.planner.keywords.intentLabel,
};

function shown(row: Keyword, field: EditableField): string {
  const value = row[field];
  if (value === null) return "";
  if (field === "intent") return t.planner.intent[value as keyof typeof t.planner.intent];
  if (field === "volume") return Number(value).toLocaleString();
  return String(value);
}

/** The change the typed text makes to the field (empty: cleared), as the API takes it. */
function changeOf(field: EditableField, text: string): KeywordEdit {
  const value = text.trim();
  if (field === "keyword") return { keyword: value };
  if (field === "intent") return { intent: value === "" ? null : (value as NonNullable<KeywordEdit["intent"]>) };
  if (field === "cpc") return { cpc: value === "" ? null : value };
  return { [field]: value === "" ? null : Number(value) };
}

/** A keyword's field, shown as text; a click (or Enter) edits it in place, Enter or leaving
 * saves, Escape cancels. The API's error for the field shows under the input. */
export function EditableCell({ row, field, editable }: { row: Keyword; field: EditableField; editable: boolean }) {
  const { update } = useKeywordMutations();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const editing = draft !== null;
  // Editing starts on the user's click: the input takes the focus the button had.
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);
  const text = shown(row, field);
  const label = t.planner.keywords.editing(LABELS[field], row.keyword);

  if (!editable) return <>{text || t.planner.none}</>;
  if (draft === null) {
    return (
      <button
        type="button"
        className={classes.cellButton}
        onClick={() => {
          setError(null);
          setDraft(field === "intent" ? (row.intent ?? "") : row[field] === null ? "" : String(row[field]));
        }}
      >
        {/* The name says what a click edits, and holds the text shown (as voice control needs). */}
        <span className={classes.visuallyHidden}>{t.planner.keywords.edit(LABELS[field], row.keyword)}</span>
        {text || t.planner.none}
      </button>
    );
  }

  const save = async (value: string) => {
    const before = field === "intent" ? (row.intent ?? "") : row[field] === null ? "" : String(row[field]);
    if (value.trim() === before) {
      setDraft(null);
      return;
    }
    if (field !== "keyword" && field !== "intent" && value.trim() !== "" && Number.isNaN(Number(value.trim()))) {
      setError(t.planner.keywords.notANumber);
      return;
    }
    try {
      await update.mutateAsync({ id: row.id, changes: changeOf(field, value) });
      setDraft(null);
      setError(null);
    } catch (failure) {
      const fieldError = failure instanceof ApiError ? failure.fieldErrors[field]?.[0] : undefined;
      setError(fieldError ?? (failure instanceof Error ? failure.message : t.errors.unknown));
    }
  };
  const keys = (event: React.KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setDraft(null);
      setError(null);
    } else if (event.key === "Enter") {
      event.preventDefault();
      void save(draft);
    }
  };

  if (field === "intent") {
    return (
      <NativeSelect
        size="xs"
        aria-label={label}
        value={draft}
        error={error}
        ref={input}
        data={[{ value: "", label: t.planner.none }, ...KEYWORD_INTENTS.map((i) => ({ value: i, label: t.planner.intent[i] }))]}
        onChange={(event) => {
          setDraft(event.currentTarget.value);
          void save(event.currentTarget.value);
        }}
        onKeyDown={keys}
        onBlur={() => setDraft(null)}
      />
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <TextInput
        size="xs"
        aria-label={label}
        value={draft}
        error={error}
        ref={input}
        disabled={update.isPending}
        inputMode={field === "keyword" ? "text" : "decimal"}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={keys}
        onBlur={() => {
          if (!error) void save(draft);
        }}
      />
    </Group>
  );
}
