// A small API client typed by the `paths` interface openapi-typescript (6.x) generates from the
// served OpenAPI document: the compiler refuses a path the document lacks, a missing path
// parameter or a body of the wrong shape, and an answer is a union by status, so reading
// `body.work.id` needs a check that the status was the success first. Not a library: a few lines
// over fetch, so the proof that the document is enough to build an app needs nothing but it.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The documented paths that have an operation for this method. */
export type PathsFor<P, M extends Method> = { [K in keyof P]: P[K] extends { [m in M]: unknown } ? K : never }[keyof P] & string;
type OperationOf<P, K, M extends Method> = K extends keyof P ? (P[K] extends { [m in M]: infer O } ? O : never) : never;

type ParametersOf<O> = O extends { parameters: infer X } ? X : object;
type PathInit<O> = ParametersOf<O> extends { path: infer X } ? { path: X } : { path?: never };
type QueryInit<O> =
  ParametersOf<O> extends { query: infer X }
    ? { query: X }
    : ParametersOf<O> extends { query?: infer X }
      ? { query?: X }
      : { query?: never };
type BodyInit<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : { body?: never };
/** What a call takes: the path's parameters, the query, the JSON body, extra headers (Idempotency-Key, If-None-Match). */
export type Init<O> = PathInit<O> & QueryInit<O> & BodyInit<O> & { headers?: Record<string, string> };
type Args<O> = object extends Init<O> ? [init?: Init<O>] : [init: Init<O>];

type ContentOf<R> = R extends { content: { 'application/json': infer J } }
  ? J
  : R extends { content: { 'application/problem+json': infer J } }
    ? J
    : undefined;
/** Every documented answer of an operation, told apart by `status`. */
export type Answer<O> = O extends { responses: infer R }
  ? { [S in keyof R]: { status: S; body: ContentOf<R[S]>; headers: Headers } }[keyof R]
  : never;

type TypedClient<P> = {
  [M in Method]: <K extends PathsFor<P, M>>(path: K, ...args: Args<OperationOf<P, K, M>>) => Promise<Answer<OperationOf<P, K, M>>>;
};

/** What a call takes when nothing is known of the operation. */
export interface LooseInit {
  path?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a client made without generated types offers: the same calls, nothing checked. */
type LooseClient = {
  // biome-ignore lint/suspicious/noExplicitAny: without generated types nothing is known of a body
  [M in Method]: (path: string, init?: LooseInit) => Promise<{ status: number; body: any; headers: Headers }>;
};

/** `any` as P (no generated types at hand) gives the loose client rather than one that accepts nothing. */
export type Client<P> = 0 extends 1 & P ? LooseClient : TypedClient<P>;

export interface ClientOptions {
  /** Where the API is served, without a trailing slash: "https://archive.example". */
  baseUrl: string;
  /** A personal token or an OAuth access token. */
  token?: string;
  fetch?: typeof fetch;
  /** Sees every answer with the documented path it was for (a test checks it against the document). */
  onAnswer?(call: { method: Method; path: string; status: number; body: unknown }): void;
}

/** Answers of an operation narrowed to one status; the loose client's answers stay as they are. */
export type AnswerWith<A extends { status: unknown }, S> = number extends A['status'] ? A : Extract<A, { status: S }>;

/** The answer if it has this status; otherwise an error naming the status and the problem the server gave. */
export function expectStatus<A extends { status: unknown; body: unknown }, const S extends A['status']>(
  answer: A,
  status: S,
): AnswerWith<A, S> {
  if (answer.status !== status)
    throw new Error(`expected ${String(status)}, got ${String(answer.status)}: ${JSON.stringify(answer.body)?.slice(0, 300)}`);
  return answer as AnswerWith<A, S>;
}

function toQueryString(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A client for the API that `paths` (openapi-typescript's output for its document) describes. */
export function createClient<P>(options: ClientOptions): Client<P> {
  const send = options.fetch ?? fetch;
  const call = async (method: Method, path: string, init: LooseInit = {}) => {
    const filled = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = init.path?.[name];
      if (value === undefined) throw new Error(`${path} needs the path parameter ${name}`);
      return encodeURIComponent(String(value));
    });
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(`${options.baseUrl}${filled}${toQueryString(init.query)}`, {
      method: method.toUpperCase(),
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    options.onAnswer?.({ method, path, status: response.status, body });
    return { status: response.status, body, headers: response.headers };
  };
  const client = {
    get: (path: string, init?: LooseInit) => call('get', path, init),
    post: (path: string, init?: LooseInit) => call('post', path, init),
    put: (path: string, init?: LooseInit) => call('put', path, init),
    patch: (path: string, init?: LooseInit) => call('patch', path, init),
    delete: (path: string, init?: LooseInit) => call('delete', path, init),
  };
  return client as unknown as Client<P>;
}
