/**
 * HTML that has been through a sanitizer or was built by escaping every piece of user text.
 * Only values of this type may be written into a page unescaped (see web/components RawHtml).
 */
export type SafeHtml = string & { readonly __safeHtml: true };

/** Marks a string as safe. Call only on the output of a sanitizer or of escapeHtml. */
export function trustHtml(html: string): SafeHtml {
  return html as SafeHtml;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
