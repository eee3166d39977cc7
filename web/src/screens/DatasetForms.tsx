// What changes a dataset besides an upload: cleaning steps applied as a new version, and imports
// from a PostgreSQL query or a REST JSON source.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import {
  CleanDatasetDocument,
  ImportFromPostgresDocument,
  ImportFromRestDocument,
  type CleaningOp,
  type CleaningStepInput,
  type ColumnType,
  type FillStrategy,
} from '../__generated__/graphql.js';

const OPS: CleaningOp[] = ['DEDUPE', 'FILL_MISSING', 'TRIM', 'CAST'];
const STRATEGIES: FillStrategy[] = ['MEAN', 'MEDIAN', 'MODE', 'CONSTANT', 'DROP'];
const TYPES: ColumnType[] = ['INTEGER', 'FLOAT', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TEXT'];

/** A step as the form holds it; `value` is typed text, read as JSON when it parses. */
interface DraftStep {
  op: CleaningOp;
  columns: string[];
  strategy: FillStrategy;
  value: string;
  type: ColumnType;
}

function toInput(step: DraftStep): CleaningStepInput {
  const input: CleaningStepInput = { op: step.op, columns: step.columns.length ? step.columns : null };
  if (step.op === 'FILL_MISSING') {
    input.strategy = step.strategy;
    if (step.strategy === 'CONSTANT') {
      try {
        input.value = JSON.parse(step.value);
      } catch {
        input.value = step.value;
      }
    }
  }
  if (step.op === 'CAST') input.type = step.type;
  return input;
}

export function Cleaning({ datasetId, columns, onApplied }: { datasetId: string; columns: string[]; onApplied(number: number): void }) {
  const { t } = useI18n();
  const blank: DraftStep = { op: 'DEDUPE', columns: [], strategy: 'MEAN', value: '', type: 'TEXT' };
  const [draft, setDraft] = useState<DraftStep>(blank);
  const [steps, setSteps] = useState<DraftStep[]>([]);
  const [result, clean] = useMutation(CleanDatasetDocument);
  const apply = async () => {
    const r = await clean({ datasetId, steps: steps.map(toInput) });
    if (r.data) {
      setSteps([]);
      onApplied(r.data.cleanDataset.number);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    setSteps((s) => [...s, draft]);
    setDraft(blank);
  };
  return (
    <Section title={t('clean.title')}>
      <form className="inline-form" onSubmit={add} aria-label={t('clean.title')}>
        <label>
          {t('clean.op')}
          <select value={draft.op} onChange={(e) => setDraft({ ...draft, op: e.target.value as CleaningOp })}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {t(`clean.op.${op}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('clean.columns')}
          <select
            multiple
            size={Math.min(4, Math.max(2, columns.length))}
            value={draft.columns}
            onChange={(e) => setDraft({ ...draft, columns: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            {columns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        {draft.op === 'FILL_MISSING' ? (
          <label>
            {t('clean.strategy')}
            <select value={draft.strategy} onChange={(e) => setDraft({ ...draft, strategy: e.target.value as FillStrategy })}>
              {STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {draft.op === 'FILL_MISSING' && draft.strategy === 'CONSTANT' ? (
          <label>
            {t('clean.value')}
            <input value={draft.value} onChange={(e) => setDraft({ ...draft, value: e.target.value })} />
          </label>
        ) : null}
        {draft.op === 'CAST' ? (
          <label>
            {t('clean.type')}
            <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as ColumnType })}>
              {TYPES.map((ty) => (
                <option key={ty}>{ty}</option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" className="secondary">
          {t('clean.add')}
        </button>
      </form>
      {steps.length ? (
        <ol className="steps">
          {steps.map((s, i) => (
            <li key={i}>
              {t(`clean.op.${s.op}`)} {s.columns.length ? `(${s.columns.join(', ')})` : ''}{' '}
              {s.op === 'FILL_MISSING' ? s.strategy : s.op === 'CAST' ? s.type : ''}{' '}
              <button type="button" className="link" onClick={() => setSteps(steps.filter((_, k) => k !== i))}>
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t('clean.none')}</p>
      )}
      <button type="button" onClick={apply} disabled={!steps.length || result.fetching}>
        {t('clean.apply')}
      </button>
      <ErrorMessage error={result.error} />
    </Section>
  );
}

export function Imports({ datasetId, onImported }: { datasetId: string; onImported(number: number): void }) {
  const { t } = useI18n();
  const [pg, setPg] = useState({ connectionUrl: '', sql: '' });
  const [rest, setRest] = useState({ url: '', recordsPath: '' });
  const [pgResult, importPg] = useMutation(ImportFromPostgresDocument);
  const [restResult, importRest] = useMutation(ImportFromRestDocument);
  return (
    <Section title={t('import.title')}>
      <div className="two">
        <form
          className="stack"
          aria-label={t('import.postgres')}
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await importPg({ datasetId, ...pg });
            if (r.data) onImported(r.data.importFromPostgres.number);
          }}
        >
          <h3>{t('import.postgres')}</h3>
          <label>
            {t('import.connectionUrl')}
            <input
              required
              placeholder="postgresql://reader@db.example.com/sales"
              value={pg.connectionUrl}
              onChange={(e) => setPg({ ...pg, connectionUrl: e.target.value })}
            />
          </label>
          <label>
            {t('import.sql')}
            <textarea required rows={3} value={pg.sql} onChange={(e) => setPg({ ...pg, sql: e.target.value })} />
          </label>
          <button type="submit" disabled={pgResult.fetching}>
            {t('import.run')}
          </button>
          <ErrorMessage error={pgResult.error} />
        </form>
        <form
          className="stack"
          aria-label={t('import.rest')}
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await importRest({ datasetId, url: rest.url, recordsPath: rest.recordsPath || null });
            if (r.data) onImported(r.data.importFromRest.number);
          }}
        >
          <h3>{t('import.rest')}</h3>
          <label>
            {t('import.url')}
            <input
              required
              type="url"
              placeholder="https://api.example.com/orders"
              value={rest.url}
              onChange={(e) => setRest({ ...rest, url: e.target.value })}
            />
          </label>
          <label>
            {t('import.recordsPath')}
            <input placeholder="data.items" value={rest.recordsPath} onChange={(e) => setRest({ ...rest, recordsPath: e.target.value })} />
          </label>
          <button type="submit" disabled={restResult.fetching}>
            {t('import.run')}
          </button>
          <ErrorMessage error={restResult.error} />
        </form>
      </div>
    </Section>
  );
}
