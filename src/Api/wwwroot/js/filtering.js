// Filter an image: named or custom kernel, padding, stride and fit; the result as an image or as values to read.
import { $, call, showStatus, showProblem } from "./api.js";
import { loadKernels, parametersOf, rounded } from "./kernels.js";

let kernels = [];

function showKernel() {
  const name = $("kernel").value;
  const kernel = kernels.find((k) => k.name === name);
  const parameters = parametersOf(kernels, name);
  $("matrix-label").hidden = name !== "custom";
  $("size-label").hidden = !parameters.includes("size");
  $("sigma-label").hidden = !parameters.includes("sigma");
  $("kernel-info").textContent = kernel
    ? `${kernel.description} ${kernel.rows}x${kernel.cols}${kernel.separable ? ", separable" : ""}: ${JSON.stringify(rounded(kernel.matrix))}`
    : "A kernel of your own, as JSON rows.";
}

/** Only the fields that apply to the chosen kernel are sent: a hidden field keeps its text but is not the user's intent. */
function formFor(form) {
  const data = new FormData(form);
  for (const [key, value] of [...data.entries()]) if (value === "") data.delete(key);
  if ($("size-label").hidden) data.delete("size");
  if ($("sigma-label").hidden) data.delete("sigma");
  if (data.get("kernel") === "custom") data.delete("kernel"); else data.delete("matrix");
  return data;
}

/** Draws the float result stretched to 0..255 and reports the exact values under the pointer. */
function showValues(result) {
  const canvas = $("result-values");
  const { width, height, channels, data } = result;
  // Non-finite values arrive as strings ("NaN", "Infinity") and are left out of the range.
  let min = Infinity, max = -Infinity;
  for (const v of data) if (typeof v === "number") { if (v < min) min = v; if (v > max) max = v; }
  const span = max - min || 1;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * channels + Math.min(c, channels - 1)];
      pixels.data[i * 4 + c] = typeof v === "number" ? ((v - min) / span) * 255 : 255;
    }
    pixels.data[i * 4 + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  canvas.hidden = false;
  $("result").removeAttribute("src");
  const read = (x, y) => {
    const at = (y * width + x) * channels;
    const values = Array.from({ length: channels }, (_, c) => data[at + c]);
    $("value-readout").textContent = `x ${x}, y ${y}: ${values.map((v) => (typeof v === "number" ? v.toFixed(3) : v)).join(", ")}`;
  };
  canvas.onmousemove = (event) => {
    const box = canvas.getBoundingClientRect();
    const x = Math.min(width - 1, Math.floor(((event.clientX - box.left) / box.width) * width));
    const y = Math.min(height - 1, Math.floor(((event.clientY - box.top) / box.height) * height));
    read(x, y);
  };
  // The arrow keys walk the same readout for those who do not use a pointer.
  let at = { x: 0, y: 0 };
  const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  canvas.onfocus = () => read(at.x, at.y);
  canvas.onkeydown = (event) => {
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    at = { x: Math.max(0, Math.min(width - 1, at.x + step[0])), y: Math.max(0, Math.min(height - 1, at.y + step[1])) };
    read(at.x, at.y);
  };
  $("result-caption").textContent = `Values ${width}x${height}x${channels}, shown stretched from ${min.toFixed(2)} to ${max.toFixed(2)}; height ${result.formula.rows}, width ${result.formula.cols}`;
}

async function filter(event) {
  event.preventDefault();
  const status = $("status");
  showStatus(status, "Filtering...");
  try {
    const response = await call("/api/filter", { method: "POST", body: formFor(event.target) });
    if ($("format").value === "json") {
      showValues(await response.json());
      showStatus(status, "Move the pointer over the result to read its values.");
      return;
    }
    $("result-values").hidden = true;
    $("value-readout").textContent = "";
    $("result").src = URL.createObjectURL(await response.blob());
    $("result-caption").textContent = "Filtered";
    showStatus(status, `Server timing: ${response.headers.get("Server-Timing")}`);
  } catch (error) {
    showProblem(status, error);
  }
}

async function start() {
  kernels = await loadKernels();
  const select = $("kernel");
  for (const k of kernels) select.add(new Option(k.name, k.name));
  select.add(new Option("custom", "custom"));
  select.value = "sobel-magnitude";
  select.addEventListener("change", showKernel);
  showKernel();
  $("image").addEventListener("change", () => {
    const file = $("image").files[0];
    if (file) $("original").src = URL.createObjectURL(file);
  });
  $("filter-form").addEventListener("submit", filter);
}

start().catch((error) => showProblem($("status"), error));
