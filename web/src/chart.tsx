import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, TreemapChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { getLang } from './i18n';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  HeatmapChart,
  TreemapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  AriaComponent,
  CanvasRenderer,
]);

export const PALETTE = [
  '#0f5c4d',
  '#d08c2b',
  '#3a7bd5',
  '#b8404f',
  '#6b8e23',
  '#7d5ba6',
  '#2a9d8f',
  '#8c6d46',
];

/**
 * One ECharts chart on a canvas (tree-shaken echarts/core). Tooltips render in the canvas too
 * (renderMode richText), so no HTML with inline styles is injected (the CSP allows no inline style).
 * The container is an image with the chart's title as its name for screen readers.
 */
export function Chart({
  option,
  label,
  height = 280,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    // an instance left on this element (its disposal waits a frame, below) would be handed back by
    // init and then disposed under us: release it now and start a new one
    echarts.getInstanceByDom(el.current)?.dispose();
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => {
      if (!c.isDisposed()) c.resize();
    });
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.current = null;
      // after the frame zrender may still have scheduled for this chart
      requestAnimationFrame(() => {
        if (!c.isDisposed()) c.dispose();
      });
    };
  }, []);
  // pages rebuild the option object on every render: the chart is set again only when it changed
  const json = JSON.stringify(option);
  useEffect(() => {
    const c = chart.current;
    if (!c || c.isDisposed()) return;
    c.setOption(
      {
        color: PALETTE,
        textStyle: { fontFamily: 'system-ui, "Segoe UI", Tahoma, "Noto Sans Arabic", sans-serif' },
        tooltip: { renderMode: 'richText', confine: true },
        aria: { enabled: true },
        animation: false,
        ...option,
      },
      true,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json]);
  return (
    <div className="chart" ref={el} role="img" aria-label={label} data-chart="echarts" style={{ height }} />
  );
}

/** Bar/line axis options that read from the right in Arabic. */
export function axes(categories: string[], opts: { horizontal?: boolean } = {}) {
  const rtl = getLang() === 'ar';
  const cat = {
    type: 'category',
    data: categories,
    inverse: rtl && !opts.horizontal,
    axisLabel: { hideOverlap: true },
  };
  const val = { type: 'value', position: rtl ? 'right' : 'left', axisLabel: { hideOverlap: true } };
  return opts.horizontal
    ? { xAxis: { ...val, inverse: rtl }, yAxis: { ...cat, inverse: true, position: rtl ? 'right' : 'left' } }
    : { xAxis: cat, yAxis: val };
}

export const grid = { left: 8, right: 8, top: 32, bottom: 8, containLabel: true };
