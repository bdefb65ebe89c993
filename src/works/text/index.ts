// Text in: how a chapter's text (pasted or uploaded) becomes the sanitized HTML the archive
// stores, and how words are counted. A leaf: imports nothing of the app but lib/safe-html.
export { toChapterHtml, toFieldHtml, type TextFormat } from './convert.ts';
export { sanitizeFieldHtml, sanitizeWorkHtml, toEmbedUrl, type SanitizeOptions } from './sanitize.ts';
export { configureEmbedHosts, configuredEmbedHosts, DEFAULT_EMBED_HOSTS, toEmbedHost, toEmbedSources } from './embed-hosts.ts';
export { countWords } from './words.ts';
export { BLOCK_ELEMENTS } from './html-vocabulary.ts';
export { htmlToText } from './html-text.ts';
export { decodeUpload, UploadError, MAX_UPLOAD_BYTES } from './upload.ts';
export { NestingTooDeepError, MAX_NESTING, measureHtmlNesting, assertHtmlNesting } from './limits.ts';
