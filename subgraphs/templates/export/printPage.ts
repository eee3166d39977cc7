// The report as a print page: plain HTML and CSS with every chart inline as SVG (ECharts on the
// server), no scripts and nothing fetched, so it prints the same in a headless browser as it shows
// in any other. Chromium prints it to PDF with a header (report name, parameters, data version)
// and a footer (generation time, page numbers) on every page. The font stack names CJK fonts
// (Debian's fonts-noto-cjk), so Chinese titles and narratives print as text, not boxes.
import { chartSvg, isDrawn } from './charts.js';
import { describeParams, type DocumentSection, type ReportDocument, type Rows } from './document.js';

export const FONT_STACK = '"Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** What the PDF printer needs: the page, and the header and footer Chromium repeats on each page. */
export interface PrintPage {
  html: string;
  headerTemplate: string;
  footerTemplate: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Points a printed chart draws at most: past this a chart says nothing more and prints slowly. */
const CHART_MAX_POINTS = 10_000;

const formatValue = (v: unknown) =>
  typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v === null || v === undefined ? '' : String(v);

/** The first `limit` rows, and whether there were more; stops reading (closing a cursor) there. */
export async function firstRows(rows: Rows, limit: number): Promise<{ rows: unknown[][]; more: boolean }> {
  const taken: unknown[][] = [];
  for await (const row of rows) {
    if (taken.length === limit) return { rows: taken, more: true };
    taken.push(row);
  }
  return { rows: taken, more: false };
}

function tableHtml(section: DocumentSection, rows: unknown[][], more: boolean): string {
  const numeric = section.columns.map((c) => c.type === 'INTEGER' || c.type === 'FLOAT');
  const head = section.columns.map((c, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(c.name)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((v, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(formatValue(v))}</td>`).join('')}</tr>`)
    .join('');
  const note = more ? `<p class="note">The first ${rows.length} rows; the CSV and Excel exports hold them all.</p>` : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
}

async function sectionHtml(section: DocumentSection, maxTableRows: number): Promise<string> {
  const title = `<h2>${escapeHtml(section.title)}</h2>`;
  switch (section.kind) {
    case 'KPI':
      return `<section class="kpi">${title}<p class="figure">${escapeHtml(formatValue(section.value))}</p></section>`;
    case 'NARRATIVE':
      return `<section class="narrative">${title}<p>${escapeHtml(section.text)}</p></section>`;
    case 'CHART': {
      const { rows, more } = await firstRows(section.rows, isDrawn(section.chart?.type) ? CHART_MAX_POINTS : maxTableRows);
      const svg = chartSvg({ chart: section.chart, columns: section.columns, rows });
      return `<section class="chart">${title}${svg ?? tableHtml(section, rows, more)}</section>`;
    }
    case 'TABLE': {
      const { rows, more } = await firstRows(section.rows, maxTableRows);
      return `<section class="table">${title}${tableHtml(section, rows, more)}</section>`;
    }
  }
}

const dataLine = (doc: ReportDocument) =>
  doc.dataVersion ? `${doc.dataVersion.datasetName}, version ${doc.dataVersion.number}` : 'no data version';

const STYLE = `
@page { size: A4; margin: 24mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: ${FONT_STACK}; color: #1f2328; font-size: 10.5pt; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 0 0 2mm; }
.meta { color: #57606a; margin: 0 0 6mm; }
.kpis { display: flex; flex-wrap: wrap; gap: 4mm; margin-bottom: 6mm; }
.kpi { border: 1px solid #d0d7de; border-radius: 2mm; padding: 3mm 4mm; min-width: 45mm; break-inside: avoid; }
.kpi h2 { font-size: 9pt; color: #57606a; font-weight: normal; }
.figure { font-size: 20pt; font-weight: bold; margin: 0; }
section { margin-bottom: 6mm; }
.chart { break-inside: avoid; }
.chart svg { width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border-bottom: 1px solid #d0d7de; padding: 1.2mm 2mm; text-align: left; }
th { background: #f6f8fa; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #57606a; font-size: 8.5pt; }
.narrative p { line-height: 1.5; }
`;

/** The print page of a report: KPIs together at the top, then the other sections in order. */
export async function printPage(doc: ReportDocument, { maxTableRows }: { maxTableRows: number }): Promise<PrintPage> {
  const kpis = doc.sections.filter((s) => s.kind === 'KPI');
  const others = doc.sections.filter((s) => s.kind !== 'KPI');
  const blocks: string[] = [];
  for (const s of others) blocks.push(await sectionHtml(s, maxTableRows));
  const kpiBlocks = await Promise.all(kpis.map((s) => sectionHtml(s, maxTableRows)));
  const meta = `${escapeHtml(describeParams(doc.params))} · ${escapeHtml(dataLine(doc))} · generated ${escapeHtml(doc.generatedAt.replace('T', ' ').slice(0, 19))} UTC`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.name)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.name)}</h1><p class="meta">${meta}</p>
${kpiBlocks.length ? `<div class="kpis">${kpiBlocks.join('')}</div>` : ''}
${blocks.join('\n')}
</body></html>`;
  // Chromium renders these apart from the page: they need their own font and size.
  const small = `font-family: ${FONT_STACK}; font-size: 8pt; color: #57606a; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;`;
  const headerTemplate = `<div style='${small}'><span>${escapeHtml(doc.name)}</span><span>${escapeHtml(describeParams(doc.params))} · ${escapeHtml(dataLine(doc))}</span></div>`;
  const footerTemplate = `<div style='${small}'><span>ReportGraph · ${escapeHtml(doc.generatedAt.slice(0, 19).replace('T', ' '))} UTC</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
  return { html, headerTemplate, footerTemplate };
}
