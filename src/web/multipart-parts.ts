/*
 * The multipart parser (@fastify/busboy) drops some parts without a word: a part with no
 * Content-Disposition, one that is not form-data, one whose name or filename holds a bare CR or
 * LF, one whose headers never end. A form that lost a part is not the form the visitor sent, so
 * the archive counts the parts itself, the way the parser delimits them, and compares the count
 * with what the parser handed over (src/web/multipart.ts). Counting delimiters needs none of the
 * parser's header rules, so a part it drops for a reason added in a later version is caught too.
 */

const DASH = 0x2d;

/**
 * The boundary of a multipart Content-Type when it is written plainly (a token or a quoted
 * string without escapes, in ASCII), as browsers and HTTP libraries write it; undefined otherwise.
 */
export function readMultipartBoundary(contentType: string): string | undefined {
  let found: string | undefined;
  const params = contentType.split(';').slice(1);
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    if (name.startsWith('boundary')) {
      // A second boundary, or an RFC 2231 one (boundary*=), is read differently by each parser.
      if (name !== 'boundary' || found !== undefined) return undefined;
      found = unquote(param.slice(eq + 1).trim());
      if (found === undefined) return undefined;
    }
  }
  if (found === undefined || found === '' || found.length > 200) return undefined;
  // A semicolon inside quotes split the value above: refuse rather than guess.
  if (/[^\x20-\x7e]|[";\\]/.test(found)) return undefined;
  return found;
}

function unquote(value: string): string | undefined {
  if (!value.startsWith('"')) return /\s/.test(value) ? undefined : value;
  if (value.length < 2 || !value.endsWith('"')) return undefined;
  return value.slice(1, -1);
}

/**
 * Counts the parts of a multipart body fed to it chunk by chunk, as the parser (Dicer) delimits
 * them: the body is read as if it began with CRLF, every `CRLF--boundary` ends the preamble or a
 * part, and one followed by `--` ends the body. Keeps only a few bytes between chunks.
 */
export class MultipartPartCounter {
  private readonly delimiter: Buffer;
  private carry: Buffer = Buffer.from('\r\n');
  /** A delimiter was just passed: the next two bytes say whether it closes the body. */
  private afterDelimiter = false;
  private closed = false;
  private count = 0;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Parts begun so far (a part counts once its delimiter is known not to close the body). */
  get parts(): number {
    return this.count;
  }

  /** True once the closing delimiter has been seen; later bytes are the epilogue. */
  get isClosed(): boolean {
    return this.closed;
  }

  push(chunk: Buffer): void {
    if (this.closed) return;
    const data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    let pos = 0;
    for (;;) {
      if (this.afterDelimiter) {
        if (data.length - pos < 2) {
          // One dash may be the first of a closing `--`: wait for the next byte.
          if (data.length - pos === 1 && data[pos] === DASH) break;
          if (data.length - pos === 0) break;
        } else if (data[pos] === DASH && data[pos + 1] === DASH) {
          this.closed = true;
          this.carry = Buffer.alloc(0);
          return;
        }
        this.afterDelimiter = false;
        this.count += 1;
      }
      const at = data.indexOf(this.delimiter, pos);
      if (at === -1) {
        // Keep what could be the start of a delimiter cut by the chunk's end.
        pos = Math.max(pos, data.length - (this.delimiter.length - 1));
        break;
      }
      pos = at + this.delimiter.length;
      this.afterDelimiter = true;
    }
    // A copy, so the counter never holds on to a whole chunk through a view of it.
    this.carry = Buffer.from(data.subarray(pos));
  }
}
