// A report NARRATIVE section's text, from its rows: what the last measure column adds up to when
// it adds up (SUM, COUNT), else the range it spans (an average of averages, a total of maxima or
// of distinct counts means nothing); the latest value and its change on the one before. In English
// or Chinese. Every number in the text is one of the findings returned with it.
import type { Agg } from '../../../lib/datasets/query.js';

export type NarrativeLanguage = 'EN' | 'ZH';

/** The numbers a narrative states. */
export interface NarrativeFindings {
  rows: number;
  /** Only for additive measures. */
  total: number | null;
  /** Only for measures that do not add up. */
  min: number | null;
  max: number | null;
  latest: number | null;
  /** Latest over the one before, minus 1 (null without a non-zero one before). */
  change: number | null;
}

/** Aggregates whose values add up across rows to a meaningful whole. */
export const ADDITIVE: ReadonlySet<Agg> = new Set(['SUM', 'COUNT']);

const AGG_WORDS: Record<Agg, Record<NarrativeLanguage, string>> = {
  SUM: { EN: 'the total', ZH: '合计' },
  COUNT: { EN: 'the count', ZH: '计数' },
  AVG: { EN: 'the average', ZH: '平均值' },
  MEDIAN: { EN: 'the median', ZH: '中位数' },
  MIN: { EN: 'the minimum', ZH: '最小值' },
  MAX: { EN: 'the maximum', ZH: '最大值' },
  COUNT_DISTINCT: { EN: 'the distinct count', ZH: '去重计数' },
};

/** A number as a narrative writes it: grouped, at most one decimal; no sign for a rounded zero. */
export const formatNumber = (v: number, language: NarrativeLanguage = 'EN', signDisplay: 'negative' | 'exceptZero' = 'negative') =>
  v.toLocaleString(language === 'ZH' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 1, signDisplay });

/** What the rows say about their last column, as numbers. `agg` is that column's aggregate (SUM when unknown). */
export function narrativeFindings(rows: unknown[][], agg: Agg | null): NarrativeFindings {
  const values = rows.map((r) => Number(r.at(-1))).filter(Number.isFinite);
  const additive = ADDITIVE.has(agg ?? 'SUM');
  const latest = values.at(-1) ?? null;
  const previous = values.at(-2);
  return {
    rows: values.length,
    total: additive ? values.reduce((a, b) => a + b, 0) : null,
    min: additive || values.length === 0 ? null : Math.min(...values),
    max: additive || values.length === 0 ? null : Math.max(...values),
    latest,
    change: latest !== null && previous ? (latest - previous) / Math.abs(previous) : null,
  };
}

export function narrate(
  title: string,
  rows: unknown[][],
  agg: Agg | null,
  language: NarrativeLanguage = 'EN',
): { text: string; findings: NarrativeFindings } {
  const f = narrativeFindings(rows, agg);
  const n = (v: number) => formatNumber(v, language);
  const pct = (v: number) => `${formatNumber(v * 100, language, 'exceptZero')}%`;
  const word = AGG_WORDS[agg ?? 'SUM'][language];
  if (f.rows === 0 || f.latest === null) {
    return { text: language === 'ZH' ? `${title}：所选参数下没有数据。` : `${title}: no data for these parameters.`, findings: f };
  }
  if (language === 'ZH') {
    const change = f.change === null ? '' : `（较上一期 ${pct(f.change)}）`;
    const body = f.total !== null ? `合计 ${n(f.total)}` : `${word}在 ${n(f.min!)} 至 ${n(f.max!)} 之间`;
    return { text: `${title}：共 ${f.rows} 行，${body}；最新值为 ${n(f.latest)}${change}。`, findings: f };
  }
  const change = f.change === null ? '' : ` (${pct(f.change)} on the period before)`;
  const rowWord = f.rows === 1 ? 'row' : 'rows';
  const body =
    f.total !== null
      ? `${n(f.total)} in total over ${f.rows} ${rowWord}`
      : `${word} ranges from ${n(f.min!)} to ${n(f.max!)} over ${f.rows} ${rowWord}`;
  return { text: `${title}: ${body}; the latest is ${n(f.latest)}${change}.`, findings: f };
}
