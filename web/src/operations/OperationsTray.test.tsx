import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createQueryClient } from "../api/queryClient";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import type { Operation } from "./api";
import { OperationsTray } from "./OperationsTray";
import { parseFrame } from "./stream";

const ACCOUNT = "00000000-0000-4000-8000-000000000001";

function operation(id: string, changes: Partial<Operation> = {}): Operation {
  return {
    id,
    task_id: id,
    account_id: ACCOUNT,
    site_id: null,
    kind: "writer.tasks.generate_content",
    state: "running",
    phase: "AI_CALL",
    percent: 10,
    message: "Writing 1 of 2",
    result: null,
    error: null,
    cost: null,
    is_final: false,
    created_at: "2026-12-07T03:00:00Z",
    updated_at: "2026-12-07T03:00:00Z",
    meta: { phase: "AI_CALL", percentage: 10, message: "Writing 1 of 2", cost: null },
    ...changes,
  };
}

function frame(id: string, subject: string, data: Record<string, unknown>): string {
  const envelope = { id, subject, type: subject, time: "2026-12-07T03:00:05Z", account_id: ACCOUNT, data };
  return `id: ${id}\nevent: ${subject}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/** A controllable event stream: `push` sends frames, `drop` ends the connection. */
function fakeStream() {
  const connections: { push: (text: string) => void; drop: () => void; lastEventId: string | null }[] = [];
  const open = (request: Request): Response => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const encoder = new TextEncoder();
    connections.push({
      push: (text) => controller.enqueue(encoder.encode(text)),
      drop: () => controller.close(),
      lastEventId: request.headers.get("last-event-id"),
    });
    controller.enqueue(encoder.encode("retry: 3000\n: connected\n\n"));
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  };
  return { connections, open };
}

function connection(stream: ReturnType<typeof fakeStream>, index: number) {
  const found = stream.connections[index];
  if (!found) throw new Error(`no connection ${index}`);
  return found;
}

function listing(results: Operation[]) {
  return answer(200, { success: true, count: results.length, next: null, previous: null, results });
}

function renderWithClient() {
  const queryClient = createQueryClient();
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <OperationsTray />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { queryClient };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("parseFrame", () => {
  it("reads id, event and multi-line data, and skips comments", () => {
    expect(parseFrame(": heartbeat")).toBeNull();
    expect(parseFrame("id: 7\nevent: evt.x.v1\ndata: {\"a\":\ndata: 1}")).toEqual({
      id: "7",
      event: "evt.x.v1",
      data: '{"a":\n1}',
    });
  });
});

describe("OperationsTray", () => {
  it("shows running operations and moves their progress bars as stream events arrive", async () => {
    const id = "11111111-1111-4111-8111-111111111111";
    const stream = fakeStream();
    const requests = stubFetch((request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/events/stream") return stream.open(request);
      if (url.pathname === "/api/v1/operations/")
        return listing(url.searchParams.get("state") === "running" ? [operation(id)] : []);
      if (url.pathname === `/api/v1/operations/${id}/`) return answer(200, { success: true, data: operation(id) });
      return answer(404, { success: false, error: "not found" });
    });
    renderWithProviders(<OperationsTray />);
    const button = await screen.findByRole("button", { name: "Operations: 1 running" });
    await waitFor(() => expect(stream.connections).toHaveLength(1));
    // No token in the URL: the stream is read with fetch and the Authorization header.
    const streamRequest = requests.find((r) => r.url.includes("/events/stream"));
    expect(streamRequest?.url).not.toContain("access_token");

    await userEvent.click(button);
    const tray = await screen.findByRole("region", { name: "Operations", hidden: true });
    const item = within(tray).getByTestId("tray-item");
    expect(item).toHaveTextContent("Article generation");
    expect(item).toHaveTextContent("10%");

    connection(stream, 0).push(
      frame("e1", "evt.writer.operation.updated.v1", {
        operation_id: id, account_id: ACCOUNT, operation_type: "writer.tasks.generate_content",
        state: "running", phase: "SAVE", percent: 60, message: "Writing 2 of 2", sequence: 3,
      }),
    );
    await waitFor(() => expect(within(tray).getByTestId("tray-item")).toHaveTextContent("60%"));
    expect(within(tray).getByTestId("tray-item")).toHaveTextContent("Writing 2 of 2");

    // An older update arriving late is ignored.
    connection(stream, 0).push(
      frame("e0", "evt.writer.operation.updated.v1", {
        operation_id: id, account_id: ACCOUNT, operation_type: "writer.tasks.generate_content",
        state: "running", phase: "AI_CALL", percent: 20, message: "late", sequence: 2,
      }),
    );
    connection(stream, 0).push(
      frame("e2", "evt.writer.operation.updated.v1", {
        operation_id: id, account_id: ACCOUNT, operation_type: "writer.tasks.generate_content",
        state: "failed", phase: "DONE", percent: 60, message: "Stopped", error: "The provider refused the key",
        sequence: 4,
      }),
    );
    await waitFor(() => expect(within(tray).getByTestId("tray-item")).toHaveAttribute("data-state", "failed"));
    expect(screen.getByRole("button", { name: "Operations" })).toBeInTheDocument();

    // A click shows its error in full.
    await userEvent.click(within(tray).getByRole("button", { name: /Article generation.*Failed/, hidden: true }));
    const dialog = await screen.findByRole("dialog", { name: "Article generation" });
    expect(within(dialog).getByRole("alert")).toHaveTextContent("The provider refused the key");
  }, 20_000);

  it("adds an operation first seen on the stream, shows its result, and reconnects after a drop", async () => {
    const id = "22222222-2222-4222-8222-222222222222";
    const stream = fakeStream();
    stubFetch((request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/events/stream") return stream.open(request);
      if (url.pathname === "/api/v1/operations/") return listing([]);
      return answer(404, { success: false, error: "not found" });
    });
    const { queryClient } = renderWithClient();
    await userEvent.click(await screen.findByRole("button", { name: "Operations" }));
    expect(await screen.findByText(/Nothing running/)).toBeInTheDocument();
    await waitFor(() => expect(stream.connections).toHaveLength(1));
    // The credits badge's query is refreshed by a billing event.
    queryClient.setQueryData(["billing", "balance"], { available_credits: 1 });
    connection(stream, 0).push(frame("b1", "evt.billing.credits.debited.v1", { account_id: ACCOUNT }));
    await waitFor(() => expect(queryClient.getQueryState(["billing", "balance"])?.isInvalidated).toBe(true));

    connection(stream, 0).push(
      frame("e5", "evt.publisher.operation.updated.v1", {
        operation_id: id, account_id: ACCOUNT, operation_type: "publisher.content.publish",
        state: "succeeded", phase: "DONE", percent: 100, message: "Published 1",
        result: { published: 1 }, sequence: 9,
      }),
    );
    const tray = screen.getByRole("region", { name: "Operations", hidden: true });
    await waitFor(() => expect(within(tray).getByTestId("tray-item")).toHaveAttribute("data-state", "succeeded"));
    expect(queryClient.getQueryData(["operations", id])).toMatchObject({ state: "succeeded", percent: 100 });

    connection(stream, 0).drop();
    await waitFor(() => expect(stream.connections).toHaveLength(2), { timeout: 3000 });
    expect(connection(stream, 1).lastEventId).toBe("e5");

    await userEvent.click(within(tray).getByRole("button", { name: /Publishing.*Done/, hidden: true }));
    const dialog = await screen.findByRole("dialog", { name: "Publishing" });
    expect(within(dialog).getByTestId("operation-result")).toHaveTextContent('"published": 1');
  }, 20_000);
});

