// Uploading a CSV as a new version: a real progress bar (bytes sent, rows per second, counted
// from where the file's lines end) and the server's coded errors in words — a bad value names
// its line and column.
import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/errors.js';
import { UploadError, uploadCsv, type CsvUploadOptions, type UploadedVersion } from '../api/upload.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { formatBytes, perSecond } from '../lib/format.js';
import { fileChunks, indexLines, linesWithin, type LineIndex } from '../lib/lineIndex.js';
import { useSession } from '../session.js';

interface Progress {
  sent: number;
  total: number;
  rowsPerSecond: number;
}

export function CsvUpload({ datasetId, onUploaded }: { datasetId: string; onUploaded(version: UploadedVersion): void }) {
  const { t, number } = useI18n();
  const { session } = useSession();
  const file = useRef<HTMLInputElement>(null);
  const [options, setOptions] = useState<CsvUploadOptions>({ header: true, encoding: 'AUTO', onTypeError: 'FAIL' });
  const [progress, setProgress] = useState<Progress | null>(null);
  const [errors, setErrors] = useState<ApiError[] | null>(null);
  const [done, setDone] = useState<{ version: UploadedVersion; ms: number } | null>(null);
  const [uploading, setUploading] = useState<{ abort(): void } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen || !session) return;
    setErrors(null);
    setDone(null);
    const started = performance.now();
    let lines: LineIndex | null = null;
    // Counted while the upload runs; rows/s appears once it is known.
    void indexLines(fileChunks(chosen), chosen.size).then((index) => (lines = index));
    const upload = uploadCsv(datasetId, chosen, {
      token: session.token,
      options,
      onProgress: (sent, total) => {
        const rows = lines ? Math.max(0, linesWithin(lines, sent) - (options.header === false ? 0 : 1)) : 0;
        setProgress({ sent, total, rowsPerSecond: perSecond(rows, performance.now() - started) });
      },
    });
    setUploading(upload);
    try {
      const version = await upload.done;
      const ms = performance.now() - started;
      setDone({ version, ms });
      setProgress((p) => p && { ...p, sent: p.total, rowsPerSecond: perSecond(version.rowCount, ms) });
      onUploaded(version);
    } catch (err) {
      setErrors(err instanceof UploadError ? err.errors : [{ code: 'NETWORK', message: String(err), details: {} }]);
    } finally {
      setUploading(null);
    }
  };

  const set = <K extends keyof CsvUploadOptions>(key: K, value: CsvUploadOptions[K]) => setOptions((o) => ({ ...o, [key]: value }));
  return (
    <Section title={t('upload.title')}>
      <form className="stack" onSubmit={submit}>
        <div className="inline-form">
          <label>
            {t('upload.file')}
            <input ref={file} type="file" accept=".csv,.tsv,.txt,text/csv" required />
          </label>
          <label>
            {t('upload.delimiter')}
            <select value={options.delimiter ?? ''} onChange={(e) => set('delimiter', e.target.value || undefined)}>
              <option value="">{t('upload.detect')}</option>
              <option value=",">,</option>
              <option value=";">;</option>
              <option value="tab">{t('upload.tab')}</option>
              <option value="|">|</option>
            </select>
          </label>
          <label>
            {t('upload.encoding')}
            <select value={options.encoding} onChange={(e) => set('encoding', e.target.value as CsvUploadOptions['encoding'])}>
              <option value="AUTO">{t('upload.detect')}</option>
              <option value="UTF8">UTF-8</option>
              <option value="GBK">GBK</option>
            </select>
          </label>
          <label>
            {t('upload.onTypeError')}
            <select value={options.onTypeError} onChange={(e) => set('onTypeError', e.target.value as CsvUploadOptions['onTypeError'])}>
              <option value="FAIL">{t('upload.fail')}</option>
              <option value="NULL">{t('upload.null')}</option>
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={options.header !== false} onChange={(e) => set('header', e.target.checked)} />
            {t('upload.header')}
          </label>
        </div>
        <div className="row">
          <button type="submit" disabled={!!uploading}>
            {t('upload.submit')}
          </button>
          {uploading ? (
            <button type="button" className="secondary" onClick={() => uploading.abort()}>
              {t('common.cancel')}
            </button>
          ) : null}
        </div>
      </form>
      {progress ? (
        <ProgressBar
          value={progress.total ? progress.sent / progress.total : 0}
          label={t('upload.progress')}
          text={t(progress.rowsPerSecond > 0 ? 'upload.progressText' : 'upload.progressBytes', {
            sent: formatBytes(progress.sent),
            total: formatBytes(progress.total),
            rate: number(progress.rowsPerSecond, 0),
          })}
        />
      ) : null}
      {done ? (
        <p role="status" className="ok">
          {t('upload.done', {
            version: done.version.number,
            rows: number(done.version.rowCount, 0),
            seconds: number(done.ms / 1000, 1),
            rate: number(perSecond(done.version.rowCount, done.ms), 0),
          })}
          {done.version.typeErrorsAsNull ? ` ${t('upload.nulls', { count: done.version.typeErrorsAsNull })}` : ''}
        </p>
      ) : null}
      <ErrorMessage errors={errors} />
    </Section>
  );
}
