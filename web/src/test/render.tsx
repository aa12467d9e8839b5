import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import { vi } from "vitest";

import { createQueryClient } from "../api/queryClient";

export function renderWithProviders(ui: React.ReactElement): RenderResult {
  const client = createQueryClient();
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
}

/** A JSON answer in the gateway's unified format. */
export function answer(status: number, body: unknown, requestId = "req-test-1"): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId },
  });
}

type Handler = (request: Request) => Response | Promise<Response>;

/** Replace fetch: each call goes to `handler`; returns the requests made. */
export function stubFetch(handler: Handler): Request[] {
  const seen: Request[] = [];
  vi.stubGlobal("fetch", async (input: Request) => {
    seen.push(input.clone());
    return handler(input);
  });
  return seen;
}
