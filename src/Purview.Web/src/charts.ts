// Chart.js, registered piece by piece so the bundle carries only bars and lines.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from "chart.js";
import { h } from "./ui";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export const palette = { succeeded: "#1a7f37", failed: "#c62828", canceled: "#8a6100", inProgress: "#0b5cad", assets: "#0b5cad", relationships: "#7a3ea1", runs: "#4d5b6a" };

export interface Series {
  label: string;
  color: string;
  data: number[];
}

/** A chart plus the same numbers as a table (for screen readers and for anyone who wants the figures). */
export function chart(kind: "bar" | "line", title: string, labels: string[], series: Series[], stacked: boolean, testId: string): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `${title}: chart; the figures follow in a table` });
  const figure = h(
    "figure",
    { class: "chart", "data-testid": testId },
    h("figcaption", {}, title),
    h("div", { class: "chart-box" }, canvas),
    h(
      "details",
      {},
      h("summary", {}, "Show the figures as a table"),
      h("div", { class: "table-wrap" }, h(
        "table",
        { "data-testid": `${testId}-table` },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "period (UTC)"), ...series.map((s) => h("th", { scope: "col" }, s.label)))),
        h("tbody", {}, ...labels.map((label, i) => h("tr", {}, h("th", { scope: "row" }, label), ...series.map((s) => h("td", { "data-label": s.label }, String(s.data[i] ?? 0)))))),
      )),
    ),
  );
  const config: ChartConfiguration = {
    type: kind,
    data: {
      labels,
      datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, pointRadius: kind === "line" ? 2 : 0, tension: 0.2 })),
    },
    options: {
      // No animation: the figures are there at once, and the render time measured is the real one.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  };
  // Drawn once the figure is in the document (Chart.js measures its container).
  queueMicrotask(() => new Chart(canvas, config));
  return figure;
}
