import type { EChartsOption } from 'echarts';
import { lazy, Suspense } from 'react';

const EChart = lazy(() => import('./EChart.js'));

/** A chart drawn by ECharts (fetched the first time one is shown); `label` describes it in words. */
export function Chart({ option, label, height = 320 }: { option: EChartsOption; label: string; height?: number }) {
  return (
    <Suspense fallback={<div className="chart chart-loading" style={{ height }} aria-busy="true" />}>
      <EChart option={option} label={label} height={height} />
    </Suspense>
  );
}
