// The matrix filter: the lecture's 10x10 f, the output g drawn cell by cell, and the input window behind a chosen cell.
import { $, postJson, showStatus, showProblem, element } from "./api.js";
import { loadKernels } from "./kernels.js";

// Seitz's example from the lecture: a block of 90s with a hole, and a stray 90.
const lectureF = Array.from({ length: 10 }, (_, y) =>
  Array.from({ length: 10 }, (_, x) => (y >= 2 && y <= 6 && x >= 3 && x <= 7 && !(y === 5 && x === 4)) || (y === 8 && x === 2) ? 90 : 0));

let input = [];
let geometry = null;

/** Padding before the first row/column, as the service places it: 'same' splits the total with the smaller half first. */
function padBefore(padding, n, f, stride, out) {
  if (padding === "same") return Math.floor(Math.max((out - 1) * stride + f - n, 0) / 2);
  if (padding === "valid") return 0;
  return Number(padding);
}

function drawInput(window) {
  const table = element("table", { class: "cells", "aria-label": "Input f" });
  input.forEach((row, y) => {
    const tr = element("tr");
    row.forEach((v, x) => {
      const inWindow = window && y >= window.top && y < window.top + window.rows && x >= window.left && x < window.left + window.cols;
      tr.append(element("td", { class: inWindow ? "window" : "", text: String(v) }));
    });
    table.append(tr);
  });
  $("matrix-in-grid").replaceChildren(table);
}

function windowOf(row, col) {
  const { stride, padTop, padLeft, rows, cols } = geometry;
  return { top: row * stride - padTop, left: col * stride - padLeft, rows, cols };
}

function select(row, col, cell) {
  for (const td of $("matrix-out-grid").querySelectorAll("td.selected")) td.classList.remove("selected");
  cell.classList.add("selected");
  const w = windowOf(row, col);
  drawInput(w);
  const outside = w.top < 0 || w.left < 0 || w.top + w.rows > input.length || w.left + w.cols > input[0].length;
  $("matrix-window").textContent =
    `g[${row}][${col}] = ${cell.textContent} comes from f rows ${w.top}..${w.top + w.rows - 1}, columns ${w.left}..${w.left + w.cols - 1}` +
    (outside ? " (part of the window lies in the padding, filled by the border mode)" : "");
}

function drawOutput(output) {
  const table = element("table", { class: "cells", "aria-label": "Output g: choose a cell to see its input window" });
  output.forEach((row, y) => {
    const tr = element("tr");
    row.forEach((v, x) => {
      const td = element("td");
      const button = element("button", { type: "button", "data-row": y, "data-col": x, text: String(+v.toFixed(2)) });
      button.setAttribute("aria-label", `g row ${y} column ${x}: ${+v.toFixed(2)}`);
      button.addEventListener("click", () => select(y, x, td));
      button.addEventListener("focus", () => select(y, x, td));
      td.append(button);
      tr.append(td);
    });
    table.append(tr);
  });
  $("matrix-out-grid").replaceChildren(table);
}

async function run(event) {
  event?.preventDefault();
  const status = $("matrix-status");
  try {
    input = JSON.parse($("matrix-input").value);
  } catch (error) {
    showProblem(status, new Error(`The input is not valid JSON rows: ${error.message}`));
    return;
  }
  const name = $("matrix-kernel").value;
  const padding = $("matrix-padding").value.trim() || "same";
  const stride = Number($("matrix-stride").value) || 1;
  const body = {
    input,
    op: $("matrix-op").value,
    border: $("matrix-border").value,
    padding: /^\d+$/.test(padding) ? Number(padding) : padding,
    stride,
    fit: $("matrix-fit").value,
  };
  let kernelRows, kernelCols;
  if (name === "custom") {
    try { body.matrix = JSON.parse($("matrix-custom").value); } catch (error) {
      showProblem(status, new Error(`The custom kernel is not valid JSON rows: ${error.message}`));
      return;
    }
    kernelRows = body.matrix.length;
    kernelCols = body.matrix[0]?.length ?? 0;
  } else {
    body.kernel = name;
    const kernel = (await loadKernels()).find((k) => k.name === name);
    kernelRows = kernel.rows;
    kernelCols = kernel.cols;
  }
  showStatus(status, "Filtering...");
  try {
    const result = await postJson("/api/filter/matrix", body);
    const rows = result.outputSize.rows, cols = result.outputSize.cols;
    geometry = {
      stride, rows: kernelRows, cols: kernelCols,
      padTop: padBefore(body.padding, input.length, kernelRows, stride, rows),
      padLeft: padBefore(body.padding, input[0].length, kernelCols, stride, cols),
    };
    drawInput(null);
    drawOutput(result.output);
    $("matrix-window").textContent = "";
    showStatus(status, `g is ${rows}x${cols}. Rows: ${result.formula.rows}. Columns: ${result.formula.cols}.`);
  } catch (error) {
    showProblem(status, error);
  }
}

async function start() {
  $("matrix-input").value = "[\n" + lectureF.map((row) => " " + JSON.stringify(row)).join(",\n") + "\n]";
  const kernels = await loadKernels();
  const select = $("matrix-kernel");
  // Named kernels at their default size: size and sigma belong to the image filter above.
  for (const k of kernels) select.add(new Option(k.name, k.name));
  select.add(new Option("custom", "custom"));
  select.value = "box";
  select.addEventListener("change", () => { $("matrix-custom-label").hidden = select.value !== "custom"; });
  $("matrix-form").addEventListener("submit", run);
  await run();
}

start().catch((error) => showProblem($("matrix-status"), error));
