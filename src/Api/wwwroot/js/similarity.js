// Cosine similarity of two photos through a model's embed.
import { $, call, showStatus, showProblem } from "./api.js";
import { keepModelSelect } from "./model-list.js";

async function embed(model, file) {
  const form = new FormData();
  form.append("image", file);
  return (await (await call(`/api/models/${encodeURIComponent(model)}/embed`, { method: "POST", body: form })).json()).embedding;
}

function cosine(a, b) {
  let dot = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return dot / (Math.sqrt(aa) * Math.sqrt(bb) || 1);
}

$("similarity-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = $("similarity-status");
  const model = $("similarity-model").value;
  showStatus(status, "Embedding both photos...");
  try {
    const [a, b] = await Promise.all([embed(model, $("similarity-a").files[0]), embed(model, $("similarity-b").files[0])]);
    showStatus(status, `Cosine similarity ${cosine(a, b).toFixed(4)} (${a.length} features each, from ${model}).`);
  } catch (error) {
    showProblem(status, error);
  }
});

keepModelSelect($("similarity-model"), () => true, "resnet18-features").catch((error) => showProblem($("similarity-status"), error));
