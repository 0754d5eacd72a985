// Teach a classifier: images in class buckets (dropped or chosen), training through /api/classifiers, the report with
// its confusion matrix, a new image tried through the model's predict, and the trained classifiers with delete.
import { $, call, getJson, showStatus, showProblem, element, fillSelect, bytes, ProblemError } from "./api.js";
import { announceModelsChanged } from "./model-list.js";
import { bindKeyInput, hasKey, keyHeader } from "./api-key.js";

const imageTypes = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const buckets = [];
let nextBucket = 1;

const notReady = (detail) => new ProblemError(0, { title: "Not ready to train", detail });

const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

const percent = (share) => `${(share * 100).toFixed(1)} %`;

/** One class: its name field, a drop zone with a file input, and the chosen images as thumbnails. */
function createBucket() {
  const bucket = { number: nextBucket++, files: [] };
  const nameInput = element("input", { class: "bucket-name", required: "", placeholder: "e.g. brick", autocomplete: "off" });
  const fileInput = element("input", { type: "file", multiple: "", accept: imageTypes.join(",") });
  const thumbs = element("ul", { class: "thumbs" });
  const count = element("p", { class: "muted bucket-count", text: "No images yet." });
  const remove = element("button", { type: "button", class: "secondary" });
  const legend = element("legend");
  const drop = element("div", { class: "drop" },
    element("p", { class: "muted", text: "Drop images here, or" }),
    element("label", {}, "Add images", fileInput),
    count,
    thumbs);
  const root = element("fieldset", { class: "bucket" }, legend, element("label", {}, "Class name", nameInput), drop, remove);
  Object.assign(bucket, { root, nameInput, fileInput, thumbs, count, remove, legend });

  bucket.label = () => nameInput.value.trim();
  const describe = () => {
    const label = bucket.label() || `class ${bucket.number}`;
    legend.textContent = `Class ${bucket.number}${bucket.label() ? `: ${bucket.label()}` : ""}`;
    thumbs.setAttribute("aria-label", `Images of ${label}`);
    fileInput.setAttribute("aria-label", `Add images to ${label}`);
    remove.textContent = "Remove this class";
    remove.setAttribute("aria-label", `Remove this class: ${label}`);
    for (const item of thumbs.children) item.querySelector("button").setAttribute("aria-label", `Remove ${item.dataset.file} from ${label}`);
  };
  bucket.describe = describe;
  nameInput.addEventListener("input", describe);

  bucket.render = () => {
    thumbs.replaceChildren(...bucket.files.map((entry) => {
      const button = element("button", { type: "button", class: "secondary", text: "x" });
      button.addEventListener("click", () => removeImage(bucket, entry));
      return element("li", { "data-file": entry.file.name }, element("img", { src: entry.url, alt: entry.file.name }), button);
    }));
    const n = bucket.files.length;
    count.textContent = n === 0 ? "No images yet." : `${n} image${n === 1 ? "" : "s"}`;
    describe();
  };

  fileInput.addEventListener("change", () => {
    addImages(bucket, fileInput.files);
    fileInput.value = "";
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    addImages(bucket, event.dataTransfer.files);
  });
  remove.addEventListener("click", () => removeBucket(bucket));
  describe();
  return bucket;
}

function addImages(bucket, fileList) {
  const files = [...fileList];
  const images = files.filter((f) => imageTypes.includes(f.type));
  bucket.files.push(...images.map((file) => ({ file, url: URL.createObjectURL(file) })));
  bucket.render();
  const skipped = files.length - images.length;
  if (skipped > 0) {
    showProblem($("classifier-status"), notReady(`${skipped} of the files are not PNG, JPEG, WebP or GIF images and were left out.`));
  }
}

function removeImage(bucket, entry) {
  const at = bucket.files.indexOf(entry);
  bucket.files.splice(at, 1);
  URL.revokeObjectURL(entry.url);
  bucket.render();
  // Keep keyboard focus in the bucket: on the next image's remove button, or the file input when none is left.
  const buttons = bucket.thumbs.querySelectorAll("button");
  (buttons[Math.min(at, buttons.length - 1)] ?? bucket.fileInput).focus();
}

function addBucket() {
  const bucket = createBucket();
  buckets.push(bucket);
  $("classifier-buckets").append(bucket.root);
  updateRemoveButtons();
  return bucket;
}

function removeBucket(bucket) {
  buckets.splice(buckets.indexOf(bucket), 1);
  for (const entry of bucket.files) URL.revokeObjectURL(entry.url);
  bucket.root.remove();
  updateRemoveButtons();
  $("classifier-add").focus();
}

// A classifier needs two classes at least, so the last two buckets stay.
function updateRemoveButtons() {
  for (const bucket of buckets) bucket.remove.disabled = buckets.length <= 2;
}

function trainingForm() {
  if (!hasKey()) throw notReady("Type the API key first: training stores a model, which needs the key.");
  const labels = buckets.map((b) => b.label());
  const unnamed = labels.findIndex((l) => l === "");
  if (unnamed >= 0) throw notReady(`Class ${buckets[unnamed].number} has no name. Give every class a name.`);
  const repeated = labels.find((l, i) => labels.indexOf(l) !== i);
  if (repeated) throw notReady(`Two classes are called '${repeated}'. Give each class its own name.`);
  const empty = buckets.find((b) => b.files.length === 0);
  if (empty) throw notReady(`'${empty.label()}' has no images. Drop or choose at least one image for every class.`);

  const form = new FormData();
  for (const bucket of buckets) {
    for (const { file } of bucket.files) {
      form.append("image", file, file.name);
      form.append("label", bucket.label());
    }
  }
  form.append("features", $("classifier-features").value);
  form.append("method", $("classifier-method").value);
  return form;
}

async function train(event) {
  event.preventDefault();
  const status = $("classifier-status");
  const button = $("classifier-train");
  const name = $("classifier-name").value.trim();
  try {
    const form = trainingForm();
    const images = buckets.reduce((sum, b) => sum + b.files.length, 0);
    showStatus(status, `Training ${name} on ${images} images in ${buckets.length} classes...`);
    button.disabled = true;
    const response = await call(`/api/classifiers/${encodeURIComponent(name)}`, { method: "POST", headers: keyHeader(), body: form });
    const report = await response.json();
    showStatus(status, `${response.status === 201 ? "Trained" : "Trained a new version of"} ${report.name} (version ${report.version}).`);
    showReport(report);
    announceModelsChanged();
    await refreshList(report.name);
  } catch (error) {
    showProblem(status, error);
  } finally {
    button.disabled = false;
  }
}

/** Accuracy, time and size, and the confusion matrix with the true classes as rows and the predicted ones as columns. */
function showReport(report) {
  const correct = report.confusion.reduce((sum, row, i) => sum + row[i], 0);
  const header = element("tr", {}, element("th", { scope: "col", class: "text", text: "true \\ predicted" }),
    ...report.labels.map((label) => element("th", { scope: "col", text: label })));
  const rows = report.confusion.map((row, i) => element("tr", {},
    element("th", { scope: "row", class: "text", text: report.labels[i] }),
    ...row.map((count, j) => element("td", { class: i === j ? "hit" : count > 0 ? "miss" : "", text: String(count) }))));
  const table = element("table", { class: "confusion" },
    element("caption", { text: "Confusion matrix: rows are the true classes, columns the predicted ones, each image left out in turn" }),
    element("thead", {}, header),
    element("tbody", {}, ...rows));
  const t = report.timings;
  $("classifier-report").replaceChildren(element("div", { class: "report" },
    element("h4", { text: `${report.name}, version ${report.version}` }),
    element("p", { class: "accuracy" },
      element("strong", { class: "accuracy-value", text: `Leave-one-out accuracy ${percent(report.leaveOneOutAccuracy)}` }),
      ` (${correct} of ${report.images} images)`),
    element("dl", { class: "facts" },
      element("dt", { text: "Features" }), element("dd", { text: `${report.features} (${report.featureLength} per image)` }),
      element("dt", { text: "Method" }), element("dd", { text: report.k ? `${report.method}, k = ${report.k}` : report.method }),
      element("dt", { text: "Time taken" }), element("dd", { class: "time-taken", text: `${duration(t.totalMs)} (features ${duration(t.featuresMs)}, fitting with leave-one-out ${duration(t.fitMs)})` }),
      element("dt", { text: "Size" }), element("dd", { class: "model-size", text: bytes(report.modelBytes) })),
    element("div", { class: "table-scroll" }, table)));
}

async function refreshList(preferred) {
  const classifiers = await getJson("/api/classifiers");
  const list = $("classifier-list");
  fillSelect($("classifier-try-model"), classifiers.map((c) => [c.name, `${c.name}: ${c.labels.join(", ")}`]), preferred);
  if (classifiers.length === 0) {
    list.replaceChildren(element("p", { class: "muted", text: "No classifiers yet. Train one above." }));
    return;
  }
  const head = element("tr", {}, ...["Name", "Classes", "Features", "Method", "Images", "Accuracy", "Size", ""].map((h) => element("th", { scope: "col", class: "text", text: h })));
  const rows = classifiers.map((c) => {
    const show = element("button", { type: "button", class: "secondary", text: "Report", "aria-label": `Report of ${c.name}` });
    show.addEventListener("click", () => showReport(c));
    const remove = element("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete ${c.name}` });
    remove.addEventListener("click", () => deleteClassifier(c.name));
    return element("tr", { "data-name": c.name },
      element("td", { class: "text", text: c.name }),
      element("td", { class: "text", text: c.labels.join(", ") }),
      element("td", { class: "text", text: c.features }),
      element("td", { class: "text", text: c.method }),
      element("td", { text: String(c.images) }),
      element("td", { text: percent(c.leaveOneOutAccuracy) }),
      element("td", { text: bytes(c.modelBytes) }),
      element("td", { class: "text actions" }, show, remove));
  });
  list.replaceChildren(element("table", { id: "classifier-table" }, element("thead", {}, head), element("tbody", {}, ...rows)));
}

async function deleteClassifier(name) {
  const status = $("classifier-list-status");
  showStatus(status, `Deleting ${name}...`);
  try {
    await call(`/api/classifiers/${encodeURIComponent(name)}`, { method: "DELETE", headers: keyHeader() });
    showStatus(status, `Deleted ${name}.`);
    if ($("classifier-report").querySelector("h4")?.textContent.startsWith(`${name},`)) $("classifier-report").replaceChildren();
    announceModelsChanged();
    await refreshList();
    $("classifier-name").focus();
  } catch (error) {
    showProblem(status, error);
  }
}

async function tryImage(event) {
  event?.preventDefault();
  const status = $("classifier-try-status");
  const bars = $("classifier-try-bars");
  const name = $("classifier-try-model").value;
  const file = $("classifier-try-file").files[0];
  try {
    if (!name) throw new ProblemError(0, { title: "No classifier yet", detail: "Train a classifier above first." });
    if (!file) throw new ProblemError(0, { title: "No image", detail: "Choose an image to classify." });
    const form = new FormData();
    form.append("image", file);
    form.append("top", "10");
    showStatus(status, `Classifying ${file.name}...`);
    const result = await (await call(`/api/models/${encodeURIComponent(name)}/predict`, { method: "POST", body: form })).json();
    bars.replaceChildren(...result.predictions.map((p) => {
      const share = (p.probability * 100).toFixed(1);
      const bar = element("span");
      bar.style.width = `${p.probability * 100}%`;
      return element("li", { "data-label": p.label },
        element("span", { class: "label", text: p.label }),
        element("span", { class: "bar", role: "img", "aria-label": `${p.label}: ${share}%` }, bar),
        element("span", { class: "value", text: `${share}%` }));
    }));
    const best = result.predictions[0];
    showStatus(status, `${result.model} reads ${file.name} as ${best.label} (${(best.probability * 100).toFixed(1)}%).`);
  } catch (error) {
    bars.replaceChildren();
    showProblem(status, error);
  }
}

bindKeyInput($("classifier-key"));
// Files dropped beside a bucket would otherwise be opened by the browser in place of the page, losing every bucket.
for (const type of ["dragover", "drop"]) $("classifier").addEventListener(type, (event) => event.preventDefault());
addBucket();
addBucket();
$("classifier-add").addEventListener("click", () => addBucket().nameInput.focus());
$("classifier-form").addEventListener("submit", train);
$("classifier-try-form").addEventListener("submit", tryImage);
$("classifier-try-file").addEventListener("change", () => tryImage());
refreshList().catch((error) => showProblem($("classifier-list-status"), error));
