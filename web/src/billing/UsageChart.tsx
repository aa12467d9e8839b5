/**
 * An ECharts bar chart. Only what the usage page draws is registered (bars, grid, tooltip,
 * legend, the canvas renderer), so the usage page's chunk carries no more of ECharts.
 */
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { init, use as register, type ComposeOption } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { BarSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import { useEffect, useRef } from "react";

register([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type BarChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The chart drawn into a box; `label` says in words what it shows (the table has the values). */
export function UsageChart({ option, label, testId }: { option: BarChartOption; label: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const chart = init(element, undefined, { renderer: "canvas" });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);

  return <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ width: "100%", height: 300 }} />;
}
