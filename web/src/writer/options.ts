/** Choices for the writer's selects, labelled from the strings (values are the API's). */
import { t } from "../i18n/strings";
import type { NewTask, TaskStatus } from "./api";

type Option<V extends string> = { value: V; label: string };

function options<V extends string>(labels: Record<V, string>): Option<V>[] {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }));
}

export const TASK_STATUSES: Option<TaskStatus>[] = options<TaskStatus>(t.writer.taskStatus);
export const CONTENT_TYPES = options<NonNullable<NewTask["content_type"]>>(t.writer.contentTypes);
export const STRUCTURES = options<NonNullable<NewTask["content_structure"]>>(t.writer.structures);
