import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/** Copies `text` to the clipboard; says "Copied" for two seconds. `label` names what it copies. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="link"
      // The visible word stays part of the name (WCAG 2.5.3, label in name).
      aria-label={copied ? `${t('common.copied')}: ${label}` : label}
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
