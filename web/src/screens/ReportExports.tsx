// The report as a file — CSV, Excel (XLSX) or PDF — with the parameters it is shown with, from the
// gateway's export routes under the session's token. One export at a time: while the server
// prepares it (a PDF is printed whole first; an XLSX streams) the buttons wait, a spinner and the
// bytes received say how far it is, and it can be cancelled; a refusal is said in words with its
// code (RATE_LIMITED, the EXPORT_MAX_ROWS limit, a PDF that could not be printed).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { DownloadError, EXPORT_EXTENSIONS, fetchDownload, reportExportUrl } from '../api/download.js';
import type { ApiError } from '../api/errors.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useI18n } from '../i18n/i18n.js';
import { formatBytes } from '../lib/format.js';
import { saveFile } from '../lib/saveFile.js';
import { useSession } from '../session.js';
import type { ExportFormat } from '../__generated__/graphql.js';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['CSV', 'XLSX', 'PDF'];

export type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; format: ExportFormat; received: number; total: number | null }
  | { phase: 'done'; format: ExportFormat; name: string; size: number }
  | { phase: 'failed'; format: ExportFormat; errors: ApiError[] };

/** What the buttons, the progress and the outcome look like in `state`: no behaviour of its own. */
export function ExportControls({
  state,
  onExport,
  onCancel,
}: {
  state: ExportState;
  onExport(format: ExportFormat): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const labelId = useId();
  const running = state.phase === 'running';
  const kind = state.phase === 'idle' ? '' : EXPORT_EXTENSIONS[state.format].toUpperCase();
  return (
    <div className="export-bar">
      <div className="export-buttons" role="group" aria-labelledby={labelId} aria-busy={running}>
        <span id={labelId} className="export-label">
          {t('export.title')}
        </span>
        {EXPORT_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className={running && state.format === format ? 'secondary busy' : 'secondary'}
            disabled={running}
            onClick={() => onExport(format)}
          >
            {running && state.format === format ? <span className="spinner" aria-hidden="true" /> : null}
            {t(`export.${format}`)}
          </button>
        ))}
      </div>
      <div className="export-status" role="status">
        {state.phase === 'running' ? (
          <>
            {state.received === 0 ? (
              <span>{t('export.preparing', { format: kind })}</span>
            ) : state.total ? (
              <ProgressBar
                value={state.received / state.total}
                label={t('export.progress')}
                text={t('export.receivingOf', { received: formatBytes(state.received), total: formatBytes(state.total) })}
              />
            ) : (
              <span>{t('export.receiving', { format: kind, received: formatBytes(state.received) })}</span>
            )}{' '}
            <button type="button" className="link" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </>
        ) : state.phase === 'done' ? (
          <span className="ok">{t('export.done', { name: state.name, size: formatBytes(state.size) })}</span>
        ) : state.phase === 'failed' ? (
          <span>{t('export.failed', { format: kind })}</span>
        ) : null}
      </div>
      {state.phase === 'failed' ? <ErrorMessage errors={state.errors} /> : null}
    </div>
  );
}

/** The export buttons of one report, downloading it with `params` as the file the server names. */
export function ReportExports({ templateId, name, params }: { templateId: string; name: string; params: Record<string, unknown> }) {
  const { session, signOut } = useSession();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const inFlight = useRef<AbortController | null>(null);
  // Leaving the report cancels what it was downloading.
  useEffect(() => () => inFlight.current?.abort(), []);

  const start = useCallback(
    async (format: ExportFormat) => {
      if (!session || inFlight.current) return;
      const controller = new AbortController();
      inFlight.current = controller;
      setState({ phase: 'running', format, received: 0, total: null });
      try {
        const file = await fetchDownload(reportExportUrl(templateId, format, params), {
          token: session.token,
          fallbackName: `${name}.${EXPORT_EXTENSIONS[format]}`,
          signal: controller.signal,
          onProgress: (received, total) => setState({ phase: 'running', format, received, total }),
        });
        saveFile(file.name, file.blob);
        setState({ phase: 'done', format, name: file.name, size: file.blob.size });
      } catch (err) {
        const error = err instanceof DownloadError ? err : new DownloadError([{ code: 'NETWORK', message: String(err), details: {} }], 0);
        if (error.errors[0]?.code === 'ABORTED') setState({ phase: 'idle' });
        else setState({ phase: 'failed', format, errors: error.errors });
        // An expired token or a disabled user: back to the sign-in form, as for GraphQL.
        if (error.status === 401) signOut();
      } finally {
        inFlight.current = null;
      }
    },
    [session, signOut, templateId, name, params],
  );

  if (!session) return null;
  return <ExportControls state={state} onExport={(format) => void start(format)} onCancel={() => inFlight.current?.abort()} />;
}
