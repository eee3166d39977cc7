import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * Puts `text` on the clipboard: the Clipboard API where the page may use it (HTTPS or localhost),
 * else the older copy command on a hidden selection (a plain-HTTP deployment).
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

/** Copies `text` to the clipboard; says "Copied" (or that it could not) for two seconds. `label` names what it copies. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const word = state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : t('common.copy');
  return (
    <button
      type="button"
      className="link"
      // The visible word stays part of the name (WCAG 2.5.3, label in name).
      aria-label={state === 'idle' ? label : `${word}: ${label}`}
      onClick={async () => {
        setState((await copyText(text)) ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), 2000);
      }}
    >
      {word}
    </button>
  );
}
