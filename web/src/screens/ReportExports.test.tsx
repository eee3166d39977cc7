// The export controls in each state, rendered as React renders them for the page: three labelled
// buttons; while one export is made, all of them disabled, a spinner on that one and how far it
// is; a refusal said in words with its code.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/i18n.js';
import { ExportControls, type ExportState } from './ReportExports.js';

beforeAll(() => {
  // Node has no Web Storage; the language provider reads the stored choice at start.
  const map = new Map<string, string>();
  const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
  Object.assign(globalThis, { localStorage: storage });
  Object.defineProperty(globalThis, 'navigator', { value: { language: 'en-US' }, configurable: true });
});

const render = (state: ExportState) =>
  renderToStaticMarkup(
    <I18nProvider>
      <ExportControls state={state} onExport={() => {}} onCancel={() => {}} />
    </I18nProvider>,
  );
const buttons = (html: string) => [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => ({ tag: m[0], text: m[1]! }));

describe('the export controls', () => {
  it('offer CSV, Excel and PDF as a labelled group, ready', () => {
    const html = render({ phase: 'idle' });
    expect(html).toMatch(
      /role="group" aria-labelledby="([^"]+)" aria-busy="false"><span id="\1" class="export-label">Download the report:/,
    );
    expect(buttons(html).map((b) => b.text)).toEqual(['CSV', 'Excel (XLSX)', 'PDF']);
    expect(buttons(html).some((b) => b.tag.includes('disabled'))).toBe(false);
    expect(html).not.toContain('spinner');
    expect(html).not.toContain('role="alert"');
  });

  it('wait while a PDF is prepared: every button disabled, a spinner on the PDF, and a way to cancel', () => {
    const html = render({ phase: 'running', format: 'PDF', received: 0, total: null });
    const [csv, xlsx, pdf, cancel] = buttons(html);
    for (const b of [csv, xlsx, pdf]) expect(b!.tag).toContain('disabled=""');
    expect(pdf!.text).toBe('<span class="spinner" aria-hidden="true"></span>PDF');
    expect(csv!.text).toBe('CSV');
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain('Preparing the PDF file…');
    expect(cancel).toMatchObject({ text: 'Cancel' });
    expect(cancel!.tag).not.toContain('disabled');
  });

  it('show the bytes received, as a progress bar when the size is known', () => {
    const known = render({ phase: 'running', format: 'PDF', received: 30_720, total: 122_880 });
    expect(known).toContain('role="progressbar" aria-label="Download progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="25"');
    expect(known).toContain('30.0 KB of 120 KB');
    const streaming = render({ phase: 'running', format: 'XLSX', received: 2_097_152, total: null });
    expect(streaming).toContain('Receiving the XLSX file: 2.0 MB');
    expect(streaming).not.toContain('progressbar');
  });

  it("say which file was saved, and why one was not, in the server's words with its code", () => {
    expect(render({ phase: 'done', format: 'CSV', name: 'Monthly-revenue-report.csv', size: 2048 })).toContain(
      'Downloaded Monthly-revenue-report.csv (2.0 KB).',
    );
    const html = render({
      phase: 'failed',
      format: 'CSV',
      errors: [{ code: 'BAD_USER_INPUT', message: 'the result has more than 100 rows', details: { limit: 'EXPORT_MAX_ROWS' } }],
    });
    expect(html).toContain('The CSV file could not be made.');
    expect(html).toContain('role="alert"');
    expect(html).toContain('data-code="BAD_USER_INPUT"');
    expect(html).toContain('limit EXPORT_MAX_ROWS:');
    expect(html).toContain('the result has more than 100 rows');
    expect(buttons(html).some((b) => b.tag.includes('disabled'))).toBe(false);
    const cut = render({
      phase: 'failed',
      format: 'XLSX',
      errors: [{ code: 'INCOMPLETE', message: 'the connection closed', details: {} }],
    });
    expect(cut).toContain('The download broke off before the end, so nothing was saved.');
  });
});
