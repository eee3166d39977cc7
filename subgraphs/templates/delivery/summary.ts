// What a delivered report says about itself: its KPIs and narratives, as JSON for a webhook and
// as a short HTML (and plain-text) email. Every value shown is escaped: report titles, parameters
// and narratives come from templates and data, never from this code.
import { describeParams, type ReportDocument } from '../export/document.js';
import { escapeHtml, FONT_STACK } from '../export/printPage.js';

export interface ReportSummary {
  kpis: Array<{ title: string; value: unknown }>;
  narratives: Array<{ title: string; text: string }>;
}

export function summarize(doc: ReportDocument): ReportSummary {
  return {
    kpis: doc.sections.filter((s) => s.kind === 'KPI').map((s) => ({ title: s.title, value: s.value ?? null })),
    narratives: doc.sections.filter((s) => s.kind === 'NARRATIVE' && s.text).map((s) => ({ title: s.title, text: s.text! })),
  };
}

const shown = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v ?? '—'));

export interface MailLinks {
  /** The web app's page of the report. */
  report: string;
  /** Files too large to attach, by file name. */
  files: Array<{ name: string; url: string }>;
}

/** The email's subject, HTML and text: the report's name and parameters, KPIs, narratives, links. */
export function mailBody(doc: ReportDocument, when: string, links: MailLinks): { subject: string; html: string; text: string } {
  const { kpis, narratives } = summarize(doc);
  const params = describeParams(doc.params);
  const subject = `${doc.name} — ${when}`;
  const rows = kpis
    .map(
      (k) =>
        `<tr><td style="padding:4px 12px 4px 0;color:#57606a">${escapeHtml(k.title)}</td><td style="padding:4px 0;font-weight:bold;text-align:right">${escapeHtml(shown(k.value))}</td></tr>`,
    )
    .join('');
  const files = links.files.map((f) => `<li><a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a></li>`).join('');
  const html = `<!doctype html><html><body style="font-family:${escapeHtml(FONT_STACK)};color:#1f2328">
<h1 style="font-size:18px;margin:0 0 4px">${escapeHtml(doc.name)}</h1>
<p style="color:#57606a;margin:0 0 16px">${escapeHtml(params)} · ${escapeHtml(when)}</p>
${rows ? `<table style="border-collapse:collapse;margin-bottom:16px">${rows}</table>` : ''}
${narratives.map((n) => `<h2 style="font-size:14px;margin:12px 0 4px">${escapeHtml(n.title)}</h2><p style="margin:0;line-height:1.5">${escapeHtml(n.text)}</p>`).join('\n')}
${files ? `<p>Too large to attach, download them here:</p><ul>${files}</ul>` : ''}
<p style="margin-top:20px"><a href="${escapeHtml(links.report)}">Open the report</a></p>
</body></html>`;
  const text = [
    doc.name,
    `${params} · ${when}`,
    '',
    ...kpis.map((k) => `${k.title}: ${shown(k.value)}`),
    ...narratives.flatMap((n) => ['', n.title, n.text]),
    ...(links.files.length ? ['', 'Too large to attach:', ...links.files.map((f) => `${f.name}: ${f.url}`)] : []),
    '',
    `Open the report: ${links.report}`,
  ].join('\n');
  return { subject, html, text };
}
