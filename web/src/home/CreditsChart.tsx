/** A small bar chart of credits per day: ECharts' core with only the bar chart, the grid,
 * the tooltip and the canvas renderer (loaded lazily, with Home). */
import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function CreditsChart({ days, label }: { days: { day: string; credits: number }[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 8, top: 8, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: days.map((d) => d.credits), itemStyle: { color: "#1c7ed6" } }],
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [days]);
  return <div ref={element} role="img" aria-label={label} style={{ width: "100%", height: 200 }} data-testid="credits-chart" />;
}
