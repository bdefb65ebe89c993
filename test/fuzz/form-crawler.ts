// Walks the archive's pages as one visitor would and collects every <form> on them (method,
// action, fields with their values and options, the CSRF hidden field), so the fuzzer sends
// what the site's own pages invite, with the site's own field names.
import { Parser } from 'htmlparser2';

/** A form control as the page wrote it. */
export interface FormField {
  name: string;
  /** input type, or textarea, select, button. */
  kind: string;
  value: string;
  /** A select's option values. */
  options: string[];
  multiple: boolean;
}

/** A form found on a page. */
export interface FoundForm {
  page: string;
  method: 'GET' | 'POST';
  /** Path and query the form submits to. */
  action: string;
  multipart: boolean;
  fields: FormField[];
}

/** What a crawl found: the forms, one of each kind, and how many pages it read. */
export interface CrawlResult {
  forms: FoundForm[];
  pages: string[];
}

const ORIGIN = 'http://archive.test';

/** Links and forms of one HTML page. */
export function extractPage(html: string, pageUrl: string): { links: string[]; forms: FoundForm[] } {
  const links: string[] = [];
  const forms: FoundForm[] = [];
  let form: FoundForm | null = null;
  let select: FormField | null = null;
  let option: { value: string | null; text: string } | null = null;
  let textarea: FormField | null = null;
  const resolve = (href: string): string | null => {
    try {
      const url = new URL(href, ORIGIN + pageUrl);
      return url.origin === ORIGIN ? url.pathname + url.search : null;
    } catch {
      return null;
    }
  };
  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (tag === 'a' && attrs.href) {
          const link = resolve(attrs.href);
          if (link) links.push(link);
        } else if (tag === 'form') {
          const action = resolve(attrs.action ?? pageUrl) ?? pageUrl;
          form = {
            page: pageUrl,
            method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
            action,
            multipart: (attrs.enctype ?? '').toLowerCase() === 'multipart/form-data',
            fields: [],
          };
        } else if (form && tag === 'input' && attrs.name) {
          form.fields.push({
            name: attrs.name,
            kind: (attrs.type ?? 'text').toLowerCase(),
            value: attrs.value ?? '',
            options: [],
            multiple: false,
          });
        } else if (form && tag === 'button' && attrs.name) {
          form.fields.push({ name: attrs.name, kind: 'button', value: attrs.value ?? '', options: [], multiple: false });
        } else if (form && tag === 'textarea' && attrs.name) {
          textarea = { name: attrs.name, kind: 'textarea', value: '', options: [], multiple: false };
          form.fields.push(textarea);
        } else if (form && tag === 'select' && attrs.name) {
          select = { name: attrs.name, kind: 'select', value: '', options: [], multiple: 'multiple' in attrs };
          form.fields.push(select);
        } else if (select && tag === 'option') {
          option = { value: attrs.value ?? null, text: '' };
        }
      },
      ontext(text) {
        if (textarea) textarea.value += text;
        if (option) option.text += text;
      },
      onclosetag(tag) {
        if (tag === 'form' && form) {
          forms.push(form);
          form = null;
        } else if (tag === 'textarea') textarea = null;
        else if (tag === 'select') select = null;
        else if (tag === 'option' && option && select) {
          (select as FormField).options.push(option.value ?? option.text.trim());
          option = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return { links, forms };
}

/** The shape of an address: numbers become `:n`, names of tags, users and pseuds `:s`, query values are dropped. */
export function patternOf(url: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const keys = query
    .split('&')
    .map((p) => p.split('=')[0])
    .filter(Boolean)
    .sort()
    .join('&');
  return path.replace(/\/\d+(?=\/|$)/g, '/:n').replace(/\/(tags|users|pseuds|creators)\/[^/]+/g, '/$1/:s') + (keys ? `?${keys}` : '');
}

/** A form's kind: method, action pattern and field names. */
export function formSignature(form: FoundForm): string {
  return `${form.method} ${patternOf(form.action)} [${[...new Set(form.fields.map((f) => f.name))].sort().join(',')}]`;
}

/** Pages that hold no forms worth the time: files, feeds, static assets, session enders. */
const SKIP = /^\/(static|downloads|opds)\/|\.(atom|csv|zip|json|xml|epub|pdf|txt)(\?|$)|^\/logout|\/export\//;

export interface CrawlOptions {
  /** Pages to start from. */
  start: string[];
  /** At most this many pages. */
  maxPages: number;
  /** At most this many pages of one shape (/works/:n). */
  perPattern: number;
}

/** Reads pages breadth-first from the start pages and keeps one form of each kind. */
export async function crawlForms(
  fetchPage: (url: string) => Promise<{ status: number; contentType: string; body: string }>,
  options: CrawlOptions,
): Promise<CrawlResult> {
  const queue = [...options.start];
  const seenUrls = new Set<string>();
  const perPattern = new Map<string, number>();
  const forms = new Map<string, FoundForm>();
  const pages: string[] = [];
  while (queue.length > 0 && pages.length < options.maxPages) {
    const url = queue.shift()!;
    if (seenUrls.has(url) || SKIP.test(url)) continue;
    seenUrls.add(url);
    const pattern = patternOf(url);
    const count = perPattern.get(pattern) ?? 0;
    if (count >= options.perPattern) continue;
    perPattern.set(pattern, count + 1);
    const page = await fetchPage(url);
    pages.push(url);
    if (page.status !== 200 || !page.contentType.startsWith('text/html')) continue;
    const { links, forms: found } = extractPage(page.body, url);
    for (const form of found) {
      const signature = formSignature(form);
      if (!forms.has(signature)) forms.set(signature, form);
    }
    for (const link of links) if (!seenUrls.has(link)) queue.push(link);
  }
  return { forms: [...forms.values()], pages };
}
