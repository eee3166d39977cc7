// A table of any length: only the rows in view are in the page (TanStack Virtual), so ten
// thousand rows scroll like ten. ARIA table roles keep it a table for screen readers (row and
// column counts, headers), and the scrolling region takes the keyboard focus.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useI18n } from '../i18n/i18n.js';

const ROW_HEIGHT = 32;

export interface VirtualTableProps {
  label: string;
  columns: ReadonlyArray<{ name: string; type?: string }>;
  rows: ReadonlyArray<ReadonlyArray<unknown>>;
  /** Visible height in rows. */
  visibleRows?: number;
  format?: (value: unknown, column: number) => string;
}

export function VirtualTable({ label, columns, rows, visibleRows = 12, format }: VirtualTableProps) {
  const { number } = useI18n();
  // Numbers as the reader's language writes them (7,729,715.46); the CSV keeps them exact.
  const show =
    format ??
    ((v: unknown) =>
      v === null || v === undefined ? '∅' : typeof v === 'number' ? number(v, 6) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // Before layout (and in tests) render a first screenful rather than nothing.
    initialRect: { width: 800, height: visibleRows * ROW_HEIGHT },
  });
  const template = { gridTemplateColumns: `repeat(${Math.max(1, columns.length)}, minmax(7.5rem, 1fr))` };
  const numeric = columns.map((c) => c.type === 'INTEGER' || c.type === 'FLOAT');
  return (
    <div
      ref={scroller}
      className="vtable"
      role="region"
      aria-label={label}
      tabIndex={0}
      style={{ maxHeight: (visibleRows + 1) * ROW_HEIGHT + 2 }}
    >
      <div role="table" aria-label={label} aria-rowcount={rows.length + 1} aria-colcount={columns.length}>
        <div role="rowgroup" className="vtable-head">
          <div role="row" aria-rowindex={1} className="vtable-row" style={template}>
            {columns.map((c, i) => (
              <div role="columnheader" key={i} className={numeric[i] ? 'num' : undefined}>
                {c.name}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              role="row"
              key={item.key}
              aria-rowindex={item.index + 2}
              className="vtable-row"
              style={{
                ...template,
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              }}
            >
              {rows[item.index]!.map((v, i) => (
                <div role="cell" key={i} className={numeric[i] ? 'num' : undefined}>
                  {show(v, i)}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
