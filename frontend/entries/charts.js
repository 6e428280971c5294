// Dashboard charts. Each <canvas data-chart="bar|line" data-source="ID"> is drawn from
// the JSON that Django's json_script put in <script id="ID" type="application/json">:
//   {"labels": [...], "datasets": [{"label": "...", "data": [...]}], "stacked": bool,
//    "horizontal": bool}
// The same numbers are in a table beside each chart, so the chart is decoration for
// sighted users (the canvas is aria-hidden; the table is the accessible version).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Calm palette, distinguishable for common colour-vision deficiencies (Okabe–Ito).
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

function readData(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

function draw(canvas) {
  if (canvas.dataset.drawn) return;
  const data = readData(canvas.dataset.source);
  if (!data || !data.labels || data.labels.length === 0) return;
  const datasets = data.datasets.map((set, index) => ({
    ...set,
    backgroundColor: PALETTE[index % PALETTE.length],
    borderWidth: 0,
    maxBarThickness: 56,
  }));
  const horizontal = Boolean(data.horizontal);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
      plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
      scales: {
        x: { stacked: Boolean(data.stacked), beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: Boolean(data.stacked), beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
  canvas.dataset.drawn = "1";
}

function drawAll(root) {
  root.querySelectorAll("canvas[data-chart]").forEach(draw);
}

document.addEventListener("DOMContentLoaded", () => drawAll(document));
// Redraw after htmx swaps (e.g. switching the 30/90-day window).
document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
