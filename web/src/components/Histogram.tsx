// A column's histogram as SVG bars: no chart library needed for a profile, and each bar carries
// its label and count as a title for a pointer and the whole as a label for a screen reader.
export function Histogram({
  bins,
  label,
  width = 240,
  height = 64,
}: {
  bins: ReadonlyArray<{ label: string; count: number }>;
  label: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const w = bins.length ? width / bins.length : width;
  return (
    <svg className="histogram" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      {bins.map((b, i) => {
        const h = Math.max(b.count > 0 ? 2 : 0, (b.count / max) * (height - 2));
        return (
          <rect key={i} x={i * w + 1} y={height - h} width={Math.max(1, w - 2)} height={h}>
            <title>{`${b.label}: ${b.count}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
