import multipart, { type FastifyMultipartAttachFieldsToBodyOptions } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.tsx';
import { MultipartPartCounter, readMultipartBoundary } from './multipart-parts.ts';

/** An uploaded file, read into memory (uploads are small: a chapter of text). */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  bytes: Buffer;
}

export interface NormalizedBody {
  fields: Record<string, string | string[]>;
  files: Record<string, UploadedFile>;
}

/**
 * Turns a url-encoded body or a multipart body (fields attached as {value} objects, files
 * read into buffers) into plain fields and files, so routes handle both the same way.
 */
export function normalizeBody(body: unknown): NormalizedBody {
  const fields: Record<string, string | string[]> = {};
  const files: Record<string, UploadedFile> = {};
  if (!body || typeof body !== 'object') return { fields, files };
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    const parts = Array.isArray(raw) ? raw : [raw];
    const values: string[] = [];
    for (const part of parts) {
      if (typeof part === 'string') values.push(part);
      else if (part && typeof part === 'object' && 'type' in part) {
        const p = part as { type: string; value?: unknown; filename?: string; mimetype?: string };
        if (p.type === 'file') {
          if (Buffer.isBuffer(p.value) && p.filename) {
            files[name] = { filename: p.filename, mimetype: p.mimetype ?? '', bytes: p.value };
          }
        } else if (typeof p.value === 'string') values.push(p.value);
      }
    }
    if (values.length === 1) fields[name] = values[0]!;
    else if (values.length > 1) fields[name] = values;
  }
  return { fields, files };
}

/** The answer to a form the parser could not read whole: the visitor can only send it again. */
export const MALFORMED_UPLOAD_MESSAGE =
  'The uploaded form could not be read (one of its parts was malformed). Choose the file again and resubmit.';
export const STALLED_UPLOAD_MESSAGE =
  'The uploaded form could not be read (it stopped arriving before it was complete). Choose the file again and resubmit.';

/*
 * @fastify/busboy 3.2.6 loses its place when it skips a part (no Content-Disposition, a bare CR
 * or LF in a name or filename): the skipped part is resumed only on the next tick, so when 16 KiB
 * or more of it arrive in one chunk its buffer fills, Dicer pauses the write and waits for the
 * part to ask for more. A part whose end was in the same chunk never asks (it has ended), and
 * Dicer's "last part ended" path finishes without resuming the write: the request is never
 * answered. With a high-water mark no chunk can reach, a part never pauses the parser. Memory
 * stays bounded by the limits, not by back-pressure: files are read whole into buffers anyway
 * (the onFile below), fields stop at fieldSize, and skipped parts are thrown away as they flow.
 */
const PART_HIGH_WATER_MARK = Number.MAX_SAFE_INTEGER;

/** How long parsing a multipart body may wait for its next bytes before the request is refused. */
export const UPLOAD_IDLE_MS = 30_000;

export interface MultipartOptions {
  limits: NonNullable<FastifyMultipartAttachFieldsToBodyOptions['limits']>;
  onFile: NonNullable<FastifyMultipartAttachFieldsToBodyOptions['onFile']>;
  /** Tests shorten it; see UPLOAD_IDLE_MS. */
  idleMs?: number;
}

interface UploadWatch {
  /** Parts the body delimits, or undefined when its boundary is not written plainly enough to count. */
  readonly parts: number | undefined;
  stop(): void;
}

/**
 * Registers @fastify/multipart (fields attached to the body) between two hooks of ours: one that
 * starts counting the body's parts and a stall timer before the plugin parses, one after it that
 * refuses the form with a 400 when the parser handed over fewer parts than the body holds.
 */
export async function registerMultipart(app: FastifyInstance, options: MultipartOptions): Promise<void> {
  const idleMs = options.idleMs ?? UPLOAD_IDLE_MS;
  const watches = new WeakMap<FastifyRequest, UploadWatch>();
  app.addHook('preValidation', (request, reply, done) => {
    if (request.isMultipart()) watches.set(request, watchUpload(request, reply, idleMs));
    done();
  });
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: options.limits,
    onFile: options.onFile,
    fileHwm: PART_HIGH_WATER_MARK,
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const watch = watches.get(request);
    if (!watch) return done();
    watch.stop();
    const delimited = watch.parts;
    if (delimited !== undefined && delimited > countBodyParts(request.body)) return done(new HttpError(400, MALFORMED_UPLOAD_MESSAGE));
    done();
  });
  // A parse that failed (a limit, a truncated body) skips the hook above: stop the timer here.
  app.addHook('onResponse', (request, _reply, done) => {
    watches.get(request)?.stop();
    done();
  });
}

function watchUpload(request: FastifyRequest, reply: FastifyReply, idleMs: number): UploadWatch {
  const raw = request.raw;
  const boundary = readMultipartBoundary(request.headers['content-type'] ?? '');
  const counter = boundary === undefined ? undefined : new MultipartPartCounter(boundary);
  const timer = setTimeout(() => {
    raw.off('data', onData);
    // The plugin listens for the request's errors while it parses: an error there ends its
    // iteration with this one, which the error handler answers. Nobody listening: nothing waits.
    if (reply.sent || raw.listenerCount('error') === 0) return;
    raw.emit('error', new HttpError(400, STALLED_UPLOAD_MESSAGE));
  }, idleMs);
  function onData(chunk: Buffer) {
    counter?.push(chunk);
    timer.refresh();
  }
  // Paused first so that listening does not start the flow before the parser's pipe is in place;
  // the pipe resumes the stream and both see every chunk.
  raw.pause();
  raw.on('data', onData);
  return {
    get parts() {
      return counter?.parts;
    },
    stop() {
      clearTimeout(timer);
      raw.off('data', onData);
    },
  };
}

/** Fields and files the parser attached to the body: one entry a part, repeated names as arrays. */
function countBodyParts(body: unknown): number {
  if (!body || typeof body !== 'object') return 0;
  let n = 0;
  for (const value of Object.values(body)) n += Array.isArray(value) ? value.length : 1;
  return n;
}
