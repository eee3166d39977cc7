// Sentences from findings, in English or Chinese. Every number in a sentence comes from a
// finding passed in; nothing is estimated here.

import type { Language } from '../../../lib/prisma.js';
import type { AnomalyType } from '../../../models/features/seasonalDetection.js';
import type { AnomalyDriver } from './drivers.js';

export type { Language };

/**
 * A number as the sentence shows it (3 decimals, 1 from 100 up). The sign is decided after
 * rounding: a value that rounds to zero (−0, −1e-7) is written 0, never "-0".
 */
const number = (v: number, language: Language, signDisplay: 'negative' | 'exceptZero' = 'negative') =>
  v.toLocaleString(language === 'ZH' ? 'zh-CN' : 'en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 1 : 3, signDisplay });
/** A relative change as a signed percentage (+80%, -25%), and 0% without a sign when it rounds to zero. */
const percent = (v: number, language: Language) => `${number(v * 100, language, 'exceptZero')}%`;

export interface TrendFinding {
  column: string;
  points: number;
  first: string | null;
  last: string | null;
  latest: number;
  /** Least-squares slope per point. */
  slope: number;
  /** Change from the first to the last fitted value, relative to the first. */
  change: number;
}

export function trendSentence(f: TrendFinding, language: Language): string {
  const span = f.first && f.last ? (language === 'ZH' ? `（${f.first} 至 ${f.last}）` : ` from ${f.first} to ${f.last}`) : '';
  const direction = Math.abs(f.change) < 0.02 ? 'flat' : f.change > 0 ? 'up' : 'down';
  if (language === 'ZH') {
    const word = direction === 'flat' ? '基本持平' : direction === 'up' ? '呈上升趋势' : '呈下降趋势';
    return `${f.column} 共 ${f.points} 个数据点${span}，${word}，整体变化 ${percent(f.change, language)}，每期平均变化 ${number(f.slope, language)}；最新值为 ${number(f.latest, language)}。`;
  }
  const word = direction === 'flat' ? 'is broadly flat' : direction === 'up' ? 'trends up' : 'trends down';
  return `${f.column} ${word} over ${f.points} points${span}: ${percent(f.change, language)} overall, ${number(f.slope, language)} per period on average; the latest value is ${number(f.latest, language)}.`;
}

export interface AnomalyFinding {
  index: number;
  timestamp: string | null;
  type: AnomalyType;
  value: number;
  /** What the point would have been without the anomaly; null when the model gives none. */
  expected: number | null;
  residual: number | null;
  score: number;
  /** Largest share first. */
  drivers: AnomalyDriver[];
}

const TYPE_WORDS: Record<AnomalyType, Record<Language, string>> = {
  SPIKE: { EN: '', ZH: '' },
  LEVEL_SHIFT: { EN: 'level shift, ', ZH: '水平突变，' },
  VARIANCE_CHANGE: { EN: 'variance change, ', ZH: '波动变化，' },
};

export function anomalySentence(column: string, found: AnomalyFinding[], language: Language): string {
  if (found.length === 0) return language === 'ZH' ? `${column} 未发现异常值。` : `No anomalies found in ${column}.`;
  const top = [...found].sort((a, b) => b.score - a.score).slice(0, 3);
  const where = (a: AnomalyFinding) => a.timestamp ?? (language === 'ZH' ? `第 ${a.index + 1} 个点` : `point ${a.index + 1}`);
  const driver = top[0]!.drivers[0];
  if (language === 'ZH') {
    const expected = (a: AnomalyFinding) => (a.expected === null ? '' : `，预期 ${number(a.expected, language)}`);
    const detail = (a: AnomalyFinding) =>
      `${where(a)}（${TYPE_WORDS[a.type].ZH}${number(a.value, language)}${expected(a)}，异常分数 ${number(a.score, language)}）`;
    const because = driver
      ? `最显著的异常主要来自 ${driver.column} = ${driver.value}（占偏差的 ${number(driver.contribution * 100, language)}%）。`
      : '';
    return `${column} 发现 ${found.length} 个异常值，最显著的是：${top.map(detail).join('；')}。${because}`;
  }
  const expected = (a: AnomalyFinding) => (a.expected === null ? '' : `, expected ${number(a.expected, language)}`);
  const detail = (a: AnomalyFinding) =>
    `${where(a)} (${TYPE_WORDS[a.type].EN}${number(a.value, language)}${expected(a)}, score ${number(a.score, language)})`;
  const because = driver
    ? ` The strongest comes mostly from ${driver.column} = ${driver.value} (${number(driver.contribution * 100, language)}% of the deviation).`
    : '';
  return `${found.length} ${found.length === 1 ? 'anomaly' : 'anomalies'} in ${column}; the strongest: ${top.map(detail).join('; ')}.${because}`;
}

export interface ForecastFinding {
  column: string;
  horizon: number;
  first: { timestamp: string | null; value: number; lower: number; upper: number };
  last: { timestamp: string | null; value: number; lower: number; upper: number };
}

export function forecastSentence(f: ForecastFinding, language: Language): string {
  const when = (p: ForecastFinding['last'], i: number) => p.timestamp ?? (language === 'ZH' ? `第 ${i} 期` : `step ${i}`);
  if (f.horizon === 1) {
    // One step: the first forecast is the last; name it once.
    const p = f.last;
    return language === 'ZH'
      ? `${f.column} 未来 1 期预测：${when(p, 1)} 约为 ${number(p.value, language)}（95% 区间 ${number(p.lower, language)} 至 ${number(p.upper, language)}）。`
      : `${f.column} is forecast at ${number(p.value, language)} for ${when(p, 1)} (95% interval ${number(p.lower, language)} to ${number(p.upper, language)}).`;
  }
  if (language === 'ZH') {
    return `${f.column} 未来 ${f.horizon} 期预测：${when(f.first, 1)} 约为 ${number(f.first.value, language)}，${when(f.last, f.horizon)} 约为 ${number(f.last.value, language)}（95% 区间 ${number(f.last.lower, language)} 至 ${number(f.last.upper, language)}）。`;
  }
  return `${f.column} is forecast at ${number(f.first.value, language)} for ${when(f.first, 1)} and ${number(f.last.value, language)} for ${when(f.last, f.horizon)} (95% interval ${number(f.last.lower, language)} to ${number(f.last.upper, language)}).`;
}

export function chartSentence(column: string, type: string, probability: number, language: Language): string {
  return language === 'ZH'
    ? `建议用${({ line: '折线图', bar: '柱状图', pie: '饼图', scatter: '散点图', number: '指标卡', heatmap: '热力图', table: '表格' } as Record<string, string>)[type] ?? type}展示 ${column}（置信度 ${number(probability * 100, language)}%）。`
    : `A ${type} chart suits ${column} (confidence ${number(probability * 100, language)}%).`;
}
