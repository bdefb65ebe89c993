// The types openapi-typescript generates from /api/v1/openapi.json take this file's place in the
// folder api-typed-client.routes.test.ts type-checks: they are made from the running app, so the
// repository holds no copy to go stale. Here `paths` is unknown, and createClient gives the loose
// client (typed-client.ts), so the journeys still compile with the rest of the tree.

// biome-ignore lint/suspicious/noExplicitAny: stands in for the generated interface (see above)
export type paths = any;
