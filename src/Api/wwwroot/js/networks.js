// Network reports as the lecture's table; a refused spec is shown at the layer it names, with its arithmetic.
import { $, call, getJson, showStatus, showProblem, number, bytes, element } from "./api.js";

export const networkList = () => (networkList.cached ??= getJson("/api/networks"));

/** The spec in the text area, parsed, or an Error saying where the JSON is broken. */
export function pastedSpec() {
  const text = $("network-spec").value.trim();
  if (!text) throw new Error("Paste a spec first, or copy a built-in network's spec with 'Copy its spec below'.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`The spec is not valid JSON: ${error.message}`);
  }
}

function cell(text, className = "") {
  return element("td", { class: className, text });
}

function renderReport(report) {
  const caption = element("caption", { class: "text", text: `${report.name ?? "Network"}: ${report.inputShape} in, ${report.outputShape} out` });
  const head = element("tr", {}, ...["Layer", "Output volume", "Parameters", "Multiply-adds", "Memory", "Receptive field", "Formula"]
    .map((h, i) => element("th", { scope: "col", class: i === 0 || i === 6 ? "text" : "", text: h })));
  const table = element("table", { id: "network-table" }, caption, element("thead", {}, head));
  const body = element("tbody");
  for (const layer of report.layers) {
    const row = element("tr", { class: layer.isBlock ? "block" : layer.level > 0 ? "inner" : "", "data-index": layer.index });
    const name = `${layer.index === "input" ? "" : layer.index + " "}${layer.name} (${layer.type})`;
    const nameCell = cell(name, "text");
    nameCell.style.paddingLeft = `${0.4 + layer.level * 1.2}rem`;
    const parameters = cell(number(layer.parameters));
    if (layer.parameterFormula) parameters.append(element("div", { class: "formula", text: layer.parameterFormula }));
    row.append(
      nameCell,
      cell(layer.outputShape),
      parameters,
      cell(number(layer.macs)),
      // The lecture counts memory in values; bytes (float32) are what a server has to find.
      cell(`${number(layer.activations)} values, ${bytes(layer.activationBytes)}${layer.inPlace ? " (in place)" : ""}`),
      cell(`${layer.receptiveFieldHeight}x${layer.receptiveFieldWidth}`),
      cell(layer.formula, "formula"));
    body.append(row);
  }
  const t = report.totals;
  const totals = element("tr", { class: "block" },
    cell(`Total (${t.weightLayers} weight layers)`, "text"), cell(report.outputShape), cell(number(t.parameters)),
    cell(number(t.macs)), cell(`${bytes(t.activationBytes)} forward, ${bytes(t.parameterBytes)} weights`), cell(""), cell(""));
  table.append(body, element("tfoot", {}, totals));
  const notes = element("ul", { class: "muted" }, ...report.notes.map((n) => element("li", { text: n })));
  $("network-report").replaceChildren(table, notes);
}

/** Follows a path such as "layers[5].branches[1][0]" into the pasted spec, to show the layer the service refused. */
function layerAt(spec, path) {
  let node = spec;
  for (const [, key, index] of path.matchAll(/([A-Za-z_]+)|\[(\d+)\]/g)) {
    node = node?.[key ?? Number(index)];
  }
  return node;
}

function showLayerProblem(error, spec) {
  const status = $("network-status");
  showProblem(status, error);
  const problem = error.problem;
  if (!problem?.layerPath) return;
  const where = element("p", { class: "layer-at", text: `At ${problem.layerPath}${problem.layerName ? ` ('${problem.layerName}')` : ""}:` });
  status.insertBefore(where, status.querySelector(".detail"));
  const layer = spec && layerAt(spec, problem.layerPath);
  if (layer) status.append(element("pre", { text: JSON.stringify(layer, null, 2) }));
}

async function report(url, options, spec) {
  const status = $("network-status");
  showStatus(status, "Working out the sizes...");
  try {
    renderReport(await (await call(url, options)).json());
    showStatus(status, "");
  } catch (error) {
    $("network-report").replaceChildren();
    showLayerProblem(error, spec);
  }
}

const fitQuery = () => ($("network-fit").value ? `?fit=${$("network-fit").value}` : "");

async function start() {
  const networks = await networkList();
  for (const n of networks) $("network-name").add(new Option(`${n.name}: ${number(n.parameters)} parameters`, n.name));
  $("network-form").addEventListener("submit", (event) => {
    event.preventDefault();
    report(`/api/networks/${encodeURIComponent($("network-name").value)}/report${fitQuery()}`);
  });
  $("network-edit").addEventListener("click", async () => {
    const spec = await getJson(`/api/networks/${encodeURIComponent($("network-name").value)}`);
    $("network-spec").value = JSON.stringify(spec, null, 2);
  });
  $("network-spec-run").addEventListener("click", () => {
    let spec;
    try { spec = pastedSpec(); } catch (error) { showProblem($("network-status"), error); return; }
    report(`/api/networks/report${fitQuery()}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(spec) }, spec);
  });
}

start().catch((error) => showProblem($("network-status"), error));
