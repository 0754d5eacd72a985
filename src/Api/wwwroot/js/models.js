// The model repository: every model with its input and size, and one model's inputs, outputs and layers.
import { $, getJson, showStatus, showProblem, number, element } from "./api.js";
import { fetchModels, onModelsChanged } from "./model-list.js";

const shape = (dims) => `[${dims.join(", ")}]`;

function table(caption, headings, rows) {
  const head = element("tr", {}, ...headings.map((h) => element("th", { scope: "col", class: "text", text: h })));
  return element("table", {}, element("caption", { class: "text", text: caption }), element("thead", {}, head),
    element("tbody", {}, ...rows.map((r) => element("tr", {}, ...r.map((v) => element("td", { class: "text", text: String(v) }))))));
}

async function showDetails(name) {
  const status = $("models-status");
  try {
    const m = await getJson(`/api/models/${encodeURIComponent(name)}`);
    const heading = element("h4", { text: `${m.name}${m.displayName ? `: ${m.displayName}` : ""}`, tabindex: "-1", id: "model-details-title" });
    $("model-details").replaceChildren(
      heading,
      element("p", { text: `${m.task ?? "no task"}, version ${m.version ?? "none"}, ${number(m.parameters)} parameters${m.labels.length ? `, ${m.labels.length} labels` : ""}.` }),
      table("Inputs", ["Name", "Shape"], m.inputs.map((t) => [t.name, shape(t.shape)])),
      table("Outputs", ["Name", "Shape"], m.outputs.map((t) => [t.name, shape(t.shape)])),
      element("div", { class: "table-scroll" }, table("Layers", ["Name", "Operator", "Output shape", "Parameters", "Fused nodes"],
        m.layers.map((l) => [l.name, l.opType, shape(l.outputShape), number(l.parameters), l.fusedNodes.join(", ")]))));
    heading.focus();
    showStatus(status, "");
  } catch (error) {
    showProblem(status, error);
  }
}

async function list() {
  const status = $("models-status");
  try {
    const models = await fetchModels();
    const rows = models.map((m) => {
      const details = element("button", { type: "button", class: "secondary", text: `Details of ${m.name}` });
      details.addEventListener("click", () => showDetails(m.name));
      const cells = [m.name, m.displayName ?? "", m.task ?? "", m.input ? `${m.input.name} ${shape(m.input.shape)}` : "", number(m.parameters),
        m.ready ? "ready" : `not ready: ${m.problems.join("; ")}`].map((v) => element("td", { class: "text", text: v }));
      return element("tr", {}, ...cells, element("td", {}, details));
    });
    const head = element("tr", {}, ...["Name", "Model", "Task", "Input", "Parameters", "State", ""].map((h) => element("th", { scope: "col", class: "text", text: h })));
    $("models-list").replaceChildren(element("table", { id: "models-table" }, element("thead", {}, head), element("tbody", {}, ...rows)));
    showStatus(status, `${models.length} models.`);
  } catch (error) {
    showProblem(status, error);
  }
}

onModelsChanged(list);
list();
