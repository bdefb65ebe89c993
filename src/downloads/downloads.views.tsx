import { availableFormats, downloadHref, FORMAT_INFO } from './downloads.formats.ts';

/** The work page's Download menu: a <details> element, so it opens without JavaScript. */
export function DownloadMenu(props: { work: { id: number; title: string; version: number } }) {
  return (
    <details class="download-menu">
      <summary class="button button-secondary">Download</summary>
      <ul>
        {availableFormats().map((format) => (
          <li>
            <a href={downloadHref(props.work, format)} download>
              {FORMAT_INFO[format].label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
