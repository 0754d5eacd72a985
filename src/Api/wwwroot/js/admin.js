// Model upload and delete, with the key kept by api-key.js.
import { $, call, showStatus, showProblem, fillSelect } from "./api.js";
import { fetchModels, announceModelsChanged, onModelsChanged } from "./model-list.js";
import { bindKeyInput, forgetKey, keyHeader } from "./api-key.js";

bindKeyInput($("api-key"));
$("api-key-forget").addEventListener("click", forgetKey);

async function fillDeletable() {
  const models = await fetchModels();
  fillSelect($("delete-name"), models.filter((m) => m.source === "folder").map((m) => [m.name, m.name]));
}

$("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = $("admin-status");
  const name = $("upload-name").value.trim();
  const form = new FormData();
  form.append("model", $("upload-model").files[0]);
  const config = $("upload-config").files[0];
  if (config) form.append("config", config);
  showStatus(status, `Uploading ${name}...`);
  try {
    const response = await call(`/api/models/${encodeURIComponent(name)}`, { method: "PUT", headers: keyHeader(), body: form });
    const model = await response.json();
    showStatus(status, `${response.status === 201 ? "Uploaded" : "Replaced"} ${model.name}: ${model.layers.length} layers, ${model.ready ? "ready" : "not ready"}.`);
    announceModelsChanged();
  } catch (error) {
    showProblem(status, error);
  }
});

$("delete-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = $("admin-status");
  const name = $("delete-name").value;
  if (!name) return;
  showStatus(status, `Deleting ${name}...`);
  try {
    await call(`/api/models/${encodeURIComponent(name)}`, { method: "DELETE", headers: keyHeader() });
    showStatus(status, `Deleted ${name}.`);
    announceModelsChanged();
  } catch (error) {
    showProblem(status, error);
  }
});

onModelsChanged(() => fillDeletable().catch((error) => showProblem($("admin-status"), error)));
fillDeletable().catch((error) => showProblem($("admin-status"), error));
