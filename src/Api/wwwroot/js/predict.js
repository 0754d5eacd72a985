// Predict: an uploaded photo or the drawing, with the top classes as bars.
import { $, call, showStatus, showProblem, element } from "./api.js";
import { keepModelSelect } from "./model-list.js";
import { drawingFile, hasDrawing } from "./drawing.js";

const source = () => document.querySelector('input[name="predict-source"]:checked').value;

async function image() {
  if (source() === "file") {
    const file = $("predict-file").files[0];
    if (!file) throw new Error("Choose a file, or pick 'The drawing'.");
    return file;
  }
  if (!hasDrawing()) throw new Error("Draw something in the box first, or pick 'A file'.");
  return drawingFile();
}

async function predict(event) {
  event.preventDefault();
  const status = $("predict-status");
  try {
    const form = new FormData();
    form.append("image", await image());
    form.append("top", $("predict-top").value || "5");
    showStatus(status, "Predicting...");
    const result = await (await call(`/api/models/${encodeURIComponent($("predict-model").value)}/predict`, { method: "POST", body: form })).json();
    $("predict-bars").replaceChildren(...result.predictions.map((p) => {
      const percent = (p.probability * 100).toFixed(1);
      const bar = element("span");
      bar.style.width = `${p.probability * 100}%`;
      return element("li", { "data-label": p.label },
        element("span", { class: "label", text: p.label }),
        element("span", { class: "bar", role: "img", "aria-label": `${p.label}: ${percent}%` }, bar),
        element("span", { class: "value", text: `${percent}%` }));
    }));
    const best = result.predictions[0];
    showStatus(status, `${result.model} reads it as ${best.label} (${(best.probability * 100).toFixed(1)}%).`);
  } catch (error) {
    $("predict-bars").replaceChildren();
    showProblem(status, error);
  }
}

$("predict-file").addEventListener("change", () => { document.querySelector('input[name="predict-source"][value="file"]').checked = true; });
$("predict-form").addEventListener("submit", predict);
keepModelSelect($("predict-model"), (m) => m.task === "classify", "lenet5-mnist").catch((error) => showProblem($("predict-status"), error));
