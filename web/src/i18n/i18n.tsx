// English and Chinese, switchable at any time (the choice is remembered on this browser). Every
// message exists in both: zh.ts is typed by en.ts's keys, so a missing translation fails the
// type check. Numbers and dates are formatted for the language chosen.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { zh } from './zh.js';

export type Language = 'en' | 'zh';
export const LANGUAGES: Record<Language, { label: string; locale: string; messages: Record<MessageKey, string> }> = {
  en: { label: 'English', locale: 'en-US', messages: en },
  zh: { label: '中文', locale: 'zh-CN', messages: zh },
};
const KEY = 'reportgraph.language';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** `{name}` placeholders filled from `params`; a missing one stays visible rather than vanishing. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return LANGUAGES[language].messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  number(value: number, digits?: number): string;
  dateTime(value: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(KEY, next);
    setState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo<I18n>(() => {
    const { locale } = LANGUAGES[language];
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      number: (v, digits = 2) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v),
      dateTime: (v) => (v ? dates.format(new Date(v)) : '—'),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
