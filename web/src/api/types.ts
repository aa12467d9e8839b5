/**
 * Types of the gateway's API, all derived from the generated `schema.gen.ts`
 * (`npm run gen:api`, from the committed snapshot web/openapi.json).
 */
import type { Pending } from "./pending";
import type { components, paths } from "./schema.gen";

export type Paths = paths;
export type Schemas = components["schemas"];
type Method = "get" | "put" | "post" | "patch" | "delete";

type Success = 200 | 201 | 202;

type JsonOf<R> = R extends { content: { "application/json": infer C } } ? C : never;

/** What the generated schema says a route answers on success (`unknown` when undeclared). */
export type Generated<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? { [S in keyof R & Success]: JsonOf<R[S]> }[keyof R & Success]
  : never;

type IsUnknown<T> = unknown extends T ? true : false;

type PendingOf<P, M> = P extends keyof Pending ? (M extends keyof Pending[P] ? Pending[P][M] : never) : never;

/** A route's success answer: the generated type, or (until the route declares one) ./pending.ts. */
export type Answer<P extends keyof paths, M extends Method & keyof paths[P]> =
  IsUnknown<Generated<P, M>> extends true ? PendingOf<P, M> : Generated<P, M>;

/** A request body, straight from the generated schema. */
export type RequestBody<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** Pending entries whose route now declares its answer: each must be deleted from pending.ts. */
type StaleEntries = {
  [P in keyof Pending]: P extends keyof paths
    ? {
        [M in keyof Pending[P]]: M extends Method & keyof paths[P]
          ? IsUnknown<Generated<P, M>> extends true
            ? never
            : `${P} ${M & string}`
          : `${P} ${M & string} (no such route)`;
      }[keyof Pending[P]]
    : `${P} (no such route)`;
}[keyof Pending];

/** Fails to compile, naming the entry, when pending.ts holds a stale or unknown route. */
export const staleEntries: [StaleEntries] extends [never] ? "none" : StaleEntries = "none";
