// Kernel composition: several kernels in order become one, shown as its matrix.
import { $, postJson, showStatus, showProblem, element } from "./api.js";
import { loadKernels, parametersOf, rounded } from "./kernels.js";

let kernels = [];
let count = 0;

function addRow(name) {
  const n = ++count;
  const select = element("select", { id: `compose-kernel-${n}` });
  for (const k of kernels) if (k.name !== "sobel-magnitude") select.add(new Option(k.name, k.name));
  select.value = name;
  const size = element("input", { type: "number", min: "1", step: "2", placeholder: "default", id: `compose-size-${n}` });
  const sizeLabel = element("label", {}, `Size of kernel ${n}`, size);
  const remove = element("button", { type: "button", class: "secondary", text: `Remove kernel ${n}` });
  const row = element("div", { class: "compose-row" }, element("label", {}, `Kernel ${n}`, select), sizeLabel, remove);
  const showSize = () => { sizeLabel.hidden = !parametersOf(kernels, select.value).includes("size"); };
  select.addEventListener("change", showSize);
  remove.addEventListener("click", () => row.remove());
  showSize();
  $("compose-list").append(row);
}

function operands() {
  return [...$("compose-list").querySelectorAll(".compose-row")].map((row) => {
    const kernel = row.querySelector("select").value;
    const size = row.querySelector("input").value;
    return parametersOf(kernels, kernel).includes("size") && size ? { kernel, size: Number(size) } : { kernel };
  });
}

async function compose(event) {
  event.preventDefault();
  const status = $("compose-status");
  showStatus(status, "Composing...");
  try {
    const result = await postJson("/api/kernels/compose", { kernels: operands() });
    const table = element("table", { class: "cells", "aria-label": "Composed kernel" });
    for (const row of rounded(result.matrix, 4)) table.append(element("tr", {}, ...row.map((v) => element("td", { text: String(v) }))));
    $("compose-result").replaceChildren(table);
    showStatus(status, `Composed kernel ${result.rows}x${result.cols} (${result.formula})${result.separable ? ", separable" : ""}.`);
  } catch (error) {
    $("compose-result").replaceChildren();
    showProblem(status, error);
  }
}

async function start() {
  kernels = await loadKernels();
  addRow("box");
  addRow("laplacian");
  $("compose-add").addEventListener("click", () => addRow("identity"));
  $("compose-form").addEventListener("submit", compose);
}

start().catch((error) => showProblem($("compose-status"), error));
