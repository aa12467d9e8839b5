/**
 * Types of the gateway's API, all derived from the generated `schema.gen.ts`
 * (`npm run gen:api`, from the committed snapshot web/openapi.json).
 */
import type { components, paths } from "./schema.gen";

export type Paths = paths;
export type Schemas = components["schemas"];
type Method = "get" | "put" | "post" | "patch" | "delete";

type Success = 200 | 201 | 202;

type JsonOf<R> = R extends { content: { "application/json": infer C } } ? C : never;

/** What the generated schema says a route answers on success. */
export type Generated<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? { [S in keyof R & Success]: JsonOf<R[S]> }[keyof R & Success]
  : never;

/** A route's success answer, as the gateway's OpenAPI document declares it. */
export type Answer<P extends keyof paths, M extends Method & keyof paths[P]> = Generated<P, M>;

/** A request body, straight from the generated schema. */
export type RequestBody<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;
