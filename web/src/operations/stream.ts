/**
 * The account's live events (`GET /api/v1/events/stream`, server-sent events) read with
 * `fetch` rather than `EventSource`, so the access token travels in the Authorization header
 * (as on every other call, refreshed by the client's middleware) and never in a URL.
 *
 * What arrives keeps the query cache current: an operation's update is written into its
 * `operationQuery` entry and the tray's list (pages that follow an operation see it without
 * polling); a billing event refreshes the credits badge; every event is offered to the
 * listeners that `onStreamEvent` registered (e.g. the publishing records page). After a drop
 * the stream reconnects (backing off up to 30 s) and sends `Last-Event-ID`, so the gateway
 * replays what it still has.
 */
import type { QueryClient } from "@tanstack/react-query";

import { api } from "../api/client";
import { balanceQuery } from "../shell/CreditsBadge";
import { type Operation, operationQuery, recentOperationsQuery, setStreaming, trayKey } from "./api";

export interface StreamEvent {
  /** The event id (`Last-Event-ID`). */
  id: string | null;
  /** The message subject, e.g. `evt.writer.operation.updated.v1`. */
  subject: string;
  /** The envelope's `data` (the event's payload). */
  data: Record<string, unknown>;
  /** The envelope's `time`. */
  time: string | null;
}

type Listener = (event: StreamEvent) => void;

const listeners = new Set<Listener>();

/** Hear every event of the stream (while it is connected); returns the unsubscribe. */
export function onStreamEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const OPERATION_SUBJECT = /^evt\.[a-z_]+\.operation\.updated\.v\d+$/;
const FINAL = new Set(["succeeded", "failed", "cancelled"]);

/** The newest sequence seen per operation: a late or repeated update is ignored. */
const sequences = new Map<string, number>();

function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** An operation's state as the stream reported it, on top of what the cache already had. */
export function operationFromEvent(event: StreamEvent, known: Operation | undefined): Operation | null {
  const d = event.data;
  const id = str(d.operation_id);
  if (!id) return null;
  const state = str(d.state) as Operation["state"];
  const percent = typeof d.percent === "number" ? d.percent : 0;
  const cost = typeof d.cost === "number" ? d.cost : null;
  const time = event.time ?? new Date().toISOString();
  return {
    id,
    task_id: id,
    account_id: str(d.account_id, known?.account_id ?? ""),
    site_id: typeof d.site_id === "string" ? d.site_id : (known?.site_id ?? null),
    kind: str(d.operation_type, known?.kind ?? ""),
    state,
    phase: str(d.phase),
    percent,
    message: str(d.message),
    result: (d.result as Operation["result"] | undefined) ?? null,
    error: typeof d.error === "string" ? d.error : null,
    cost,
    is_final: FINAL.has(state),
    created_at: known?.created_at ?? time,
    updated_at: time,
    meta: { phase: str(d.phase), percentage: percent, message: str(d.message), cost },
  };
}

/** How many operations the tray keeps (running ones and the latest finished). */
export const TRAY_SIZE = 8;

/** The tray's list after `operation` changed: newest first, running ones kept. */
export function withOperation(list: Operation[] | undefined, operation: Operation): Operation[] {
  const rest = (list ?? []).filter((o) => o.id !== operation.id);
  const next = [operation, ...rest].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const running = next.filter((o) => !o.is_final);
  const finished = next.filter((o) => o.is_final).slice(0, Math.max(0, TRAY_SIZE - running.length));
  return next.filter((o) => running.includes(o) || finished.includes(o));
}

/** What one event changes in the cache. */
export function applyEvent(client: QueryClient, event: StreamEvent): void {
  if (OPERATION_SUBJECT.test(event.subject)) {
    const id = str(event.data.operation_id);
    const sequence = typeof event.data.sequence === "number" ? event.data.sequence : 0;
    const seen = sequences.get(id);
    if (id && (seen === undefined || sequence > seen)) {
      sequences.set(id, sequence);
      const key = operationQuery(id).queryKey;
      const operation = operationFromEvent(event, client.getQueryData(key));
      if (operation) {
        client.setQueryData(key, operation);
        client.setQueryData<Operation[]>(trayKey, (list) => withOperation(list, operation));
        const recent = client.getQueryData(recentOperationsQuery.queryKey);
        if (recent?.some((o) => o.id === id)) {
          client.setQueryData(recentOperationsQuery.queryKey, recent.map((o) => (o.id === id ? operation : o)));
        } else if (recent) {
          void client.invalidateQueries({ queryKey: recentOperationsQuery.queryKey });
        }
        if (operation.is_final && operation.cost) void client.invalidateQueries({ queryKey: balanceQuery.queryKey });
      }
    }
  } else if (event.subject.startsWith("evt.billing.")) {
    void client.invalidateQueries({ queryKey: balanceQuery.queryKey });
  }
  for (const listener of listeners) listener(event);
}

/** One server-sent-events frame (the lines between blank lines) → its fields. */
export function parseFrame(frame: string): { id: string | null; event: string | null; data: string } | null {
  let id: string | null = null;
  let event: string | null = null;
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return event === null && data.length === 0 ? null : { id, event, data: data.join("\n") };
}

function toEvent(frame: { id: string | null; event: string | null; data: string }): StreamEvent | null {
  try {
    const envelope = JSON.parse(frame.data) as { data?: unknown; time?: unknown; subject?: unknown };
    const data = envelope.data;
    if (typeof data !== "object" || data === null) return null;
    return {
      id: frame.id,
      subject: frame.event ?? str(envelope.subject),
      data: data as Record<string, unknown>,
      time: typeof envelope.time === "string" ? envelope.time : null,
    };
  } catch {
    return null;
  }
}

export type StreamStatus = "connecting" | "open" | "reconnecting";

export interface StreamOptions {
  /** Called with the connection's state as it changes. */
  onStatus?: (status: StreamStatus) => void;
  /** The first wait before reconnecting (doubles up to `maxDelayMs`). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Read the stream until `stop()` is called, reconnecting after every drop (the gateway also
 * ends it when the access token expires: the next connection carries a fresh one).
 */
export function startEventStream(client: QueryClient, options: StreamOptions = {}): () => void {
  const initial = options.initialDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 30_000;
  const abort = new AbortController();
  let lastEventId: string | null = null;
  let delay = initial;
  const stopped = () => abort.signal.aborted;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function readOnce(): Promise<void> {
    options.onStatus?.("connecting");
    const { response } = await api.GET("/api/v1/events/stream", {
      params: { header: lastEventId ? { "last-event-id": lastEventId } : {} },
      parseAs: "stream",
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    setStreaming(true);
    options.onStatus?.("open");
    delay = initial;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!frame) continue;
        if (frame.event === "stream.closed") return;
        const event = toEvent(frame);
        if (event) {
          if (event.id) lastEventId = event.id;
          applyEvent(client, event);
        }
      }
    }
  }

  void (async () => {
    while (!stopped()) {
      try {
        await readOnce();
      } catch {
        // A drop, a refused connection or an expired session: wait, then try again.
      }
      setStreaming(false);
      if (stopped()) break;
      options.onStatus?.("reconnecting");
      // Operations may have moved while disconnected: re-read the tray and balance.
      await sleep(delay);
      delay = Math.min(delay * 2, max);
      void client.invalidateQueries({ queryKey: trayKey });
    }
  })();

  return () => abort.abort();
}
