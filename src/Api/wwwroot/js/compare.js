// Several networks side by side: totals from the compare endpoint, per-layer figures from each network's report.
import { $, call, postJson, showStatus, showProblem, number, bytes, element } from "./api.js";
import { networkList, pastedSpec } from "./networks.js";
import { barChart, lineChart, palette } from "./charts.js";

const compact = (n) => new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);

// Per layer, only the layers a figure is about: weight layers for parameters and multiply-adds (ReLU and pooling
// rows would draw every line down to zero), layers with their own buffer for memory.
const weighted = (l) => l.parameters > 0 || l.macs > 0;
const metrics = [
  { title: "Parameters", total: (n) => n.parameters, layer: (l) => l.parameters, keep: weighted, format: number },
  { title: "Multiply-adds", total: (n) => n.macs, layer: (l) => l.macs, keep: weighted, format: number },
  { title: "Memory (forward activations)", total: (n) => n.activationBytes, layer: (l) => l.activationBytes, keep: (l) => !l.inPlace, format: bytes },
];

async function reportOf(entry) {
  const options = entry.spec
    ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(entry.spec) }
    : undefined;
  const url = entry.spec ? "/api/networks/report" : `/api/networks/${encodeURIComponent(entry.name)}/report`;
  return (await call(url, options)).json();
}

async function compare(event) {
  event.preventDefault();
  const status = $("compare-status");
  const names = [...$("compare-names").querySelectorAll("input:checked")].map((box) => box.value);
  try {
    const specs = $("compare-spec").checked ? [pastedSpec()] : [];
    showStatus(status, "Comparing...");
    const comparison = await postJson("/api/networks/compare", { names, specs });
    const entries = [...names.map((name) => ({ name })), ...specs.map((spec) => ({ spec }))];
    const reports = await Promise.all(entries.map(reportOf));
    const charts = [];
    for (const metric of metrics) {
      charts.push(barChart(`${metric.title}, total`, comparison.networks.map((n, i) => ({ label: n.name, value: metric.total(n), color: palette[i % palette.length] })), metric.format));
      // Top-level layers only: a block's row already sums its inner layers.
      const series = reports.map((r, i) => ({
        name: comparison.networks[i].name,
        color: palette[i % palette.length],
        points: r.layers.filter((l) => l.level === 0 && l.index !== "input" && metric.keep(l)).map((l) => ({ label: l.name, value: metric.layer(l) })),
      }));
      charts.push(lineChart(`${metric.title} per layer`, series, metric.format, metric.format === number ? compact : metric.format));
    }
    $("compare-charts").replaceChildren(...charts);
    showStatus(status, comparison.networks.map((n) => `${n.name}: ${number(n.parameters)} parameters, ${number(n.macs)} multiply-adds`).join("; "));
  } catch (error) {
    $("compare-charts").replaceChildren();
    showProblem(status, error);
  }
}

async function start() {
  const networks = await networkList();
  const preselected = new Set(["alexnet", "vgg16"]);
  $("compare-names").replaceChildren(...networks.map((n) => {
    const box = element("input", { type: "checkbox", value: n.name });
    box.checked = preselected.has(n.name);
    return element("label", { class: "check" }, box, ` ${n.name}`);
  }));
  $("compare-form").addEventListener("submit", compare);
}

start().catch((error) => showProblem($("compare-status"), error));
