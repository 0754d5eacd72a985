// Activation maps: one layer's channels as a grid of tiles, each with its own range on hover or focus.
import { $, call, getJson, showStatus, showProblem, element } from "./api.js";
import { keepModelSelect } from "./model-list.js";
import { drawingFile, hasDrawing } from "./drawing.js";

async function fillLayers() {
  const model = $("activations-model").value;
  if (!model) return;
  try {
    const { layers } = await getJson(`/api/models/${encodeURIComponent(model)}/activations`);
    $("activations-layer").replaceChildren(...layers.map((l) => new Option(`${l.name} (${l.opType}) [${l.outputShape.join(", ")}]`, l.name)));
  } catch (error) {
    showProblem($("activations-status"), error);
  }
}

/** Each map stretched over its own range, so a weak channel is as visible as a strong one; the range is in its label. */
function tile(values, offset, height, width, channel) {
  let min = Infinity, max = -Infinity;
  for (let i = offset; i < offset + height * width; i++) {
    const v = values[i];
    if (typeof v !== "number") continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const canvas = element("canvas", { width, height, tabindex: "0", "data-channel": channel });
  const describe = `channel ${channel}: ${min.toFixed(3)} to ${max.toFixed(3)}`;
  canvas.setAttribute("aria-label", describe);
  canvas.title = describe;
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(width, height);
  const span = max - min || 1;
  for (let i = 0; i < height * width; i++) {
    const v = values[offset + i];
    const g = typeof v === "number" ? ((v - min) / span) * 255 : 0;
    pixels.data.set([g, g, g, 255], i * 4);
  }
  context.putImageData(pixels, 0, 0);
  const show = () => { $("activations-readout").textContent = describe; };
  canvas.addEventListener("mouseenter", show);
  canvas.addEventListener("focus", show);
  return canvas;
}

async function image() {
  const file = $("activations-file").files[0];
  if (file) return file;
  if (!hasDrawing()) throw new Error("Choose an image, or draw in the Predict section first.");
  return drawingFile();
}

async function show(event) {
  event.preventDefault();
  const status = $("activations-status");
  try {
    const form = new FormData();
    form.append("image", await image());
    form.append("layer", $("activations-layer").value);
    form.append("format", "json");
    showStatus(status, "Running the model...");
    const result = await (await call(`/api/models/${encodeURIComponent($("activations-model").value)}/activations`, { method: "POST", body: form })).json();
    // [1, C, H, W] gives C maps of H x W; a flat [1, N] layer is shown as one row.
    const shape = result.shape;
    const height = shape.length >= 4 ? shape[shape.length - 2] : 1;
    const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
    const count = result.values.length / (height * width);
    const tiles = Array.from({ length: count }, (_, c) => tile(result.values, c * height * width, height, width, c));
    $("activations-grid").replaceChildren(...tiles);
    $("activations-readout").textContent = "";
    showStatus(status, `${result.layer}: ${count} maps of ${height}x${width}, values from ${result.min.toFixed(3)} to ${result.max.toFixed(3)}.`);
  } catch (error) {
    $("activations-grid").replaceChildren();
    showProblem(status, error);
  }
}

$("activations-model").addEventListener("change", fillLayers);
$("activations-form").addEventListener("submit", show);
keepModelSelect($("activations-model"), () => true, "lenet5-mnist").catch((error) => showProblem($("activations-status"), error));
