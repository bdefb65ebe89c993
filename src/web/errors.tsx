import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Layout, type PageContext } from './layout.tsx';
import { sendPage } from './render.ts';

/** An error meant for the visitor: its status and a message that says what to do. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Changed at the same moment',
  413: 'Too large',
  415: 'Unsupported content type',
  422: 'Cannot process this',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Unavailable',
};

/** PostgreSQL's unique violation, serialization failure and deadlock: another request won a race. */
const CONCURRENT_WRITE_CODES: ReadonlySet<string> = new Set(['23505', '40001', '40P01']);

/** Messages for the errors Fastify and its plugins raise on malformed requests. */
function visitorMessage(error: FastifyError, status: number): string {
  if (error instanceof HttpError && status < 500) return error.message;
  if (status === 409 && CONCURRENT_WRITE_CODES.has(String(error.code))) {
    return 'Another change to the same thing arrived at the same moment, so nothing of yours was saved. Go back and send it again.';
  }
  if (error.name === 'ZodError') return 'Some of the parameters in this address are not valid. Check the link and try again.';
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return 'What you sent is too large. Shorten it (or split a long work into chapters) and try again.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This content type is not accepted here. Send a form (application/x-www-form-urlencoded or multipart/form-data) or JSON where the API expects it.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty or its length is wrong. Send it again.';
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PROTO_VIOLATION':
      return 'The uploaded form could not be read. Choose the file again and resubmit.';
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return 'The JSON in the request body is malformed. Check it and send it again.';
  }
  if (error.stack?.includes('@fastify/busboy'))
    return 'The uploaded form could not be read (it was cut short or malformed). Choose the file again and resubmit.';
  if (status === 429) {
    const wait = /retry in ([^.,]+)/i.exec(error.message)?.[1];
    return `You are doing that too often. Try again in ${wait ?? 'a minute'}.`;
  }
  if (status < 500 && error.message) return error.message;
  return 'Something went wrong on our side. The error has been logged; please try again in a moment.';
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}

/** Renders an error for a person (page) or a program (JSON). */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string, siteName: string) {
  if (wantsJson(request)) {
    return reply.status(status).type('application/json; charset=utf-8').send({ error: { status, message } });
  }
  const title = TITLES[status] ?? 'Error';
  const ctx: PageContext = {
    viewer: request.viewer ?? null,
    csrfToken: request.csrfToken ?? '',
    siteName,
    preferences: request.readerPreferences ?? undefined,
  };
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <section class="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        {status === 401 ? (
          <p>
            <a href={`/login?return_to=${encodeURIComponent(request.url)}`}>Log in</a> or <a href="/signup">create an account</a>.
          </p>
        ) : (
          <p>
            <a href="/">Go to the front page</a>
          </p>
        )}
      </section>
    </Layout>,
    status,
  );
}

/** Every error becomes a 4xx with a clear message, or a logged 500 with no stack trace shown. */
export function registerErrorHandling(app: FastifyInstance, siteName: string): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (error instanceof SyntaxError && status === 500) status = 400;
    // A schema parse that throws instead of safeParse: the input was bad, not the server.
    if (status === 500 && error.name === 'ZodError') status = 400;
    // The multipart parser throws plain errors on truncated or malformed bodies: the client's fault.
    if (status === 500 && error.stack?.includes('@fastify/busboy')) status = 400;
    // Two requests changed the same thing at the same moment: the transaction rolled back whole,
    // so the visitor may simply send it again.
    const concurrent = status === 500 && CONCURRENT_WRITE_CODES.has(String(error.code));
    if (concurrent) status = 409;
    if (status < 400 || status > 599) status = 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (concurrent) request.log.warn({ err: error }, 'concurrent write refused');
    return sendError(request, reply, status, visitorMessage(error, status), siteName);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, 'There is no page at this address. It may have been moved or deleted.', siteName),
  );
}
