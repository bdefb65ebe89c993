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
