// Texture filter banks: the bank's filters, then the responses of the image chosen in the filtering section.
import { $, call, getJson, showStatus, showProblem } from "./api.js";

async function respond() {
  const status = $("bank-status");
  const file = $("image").files[0];
  if (!file) { showProblem(status, new Error("Choose an image in 'Filter an image' first.")); return; }
  const form = new FormData();
  form.append("image", file);
  form.append("bank", $("bank").value);
  showStatus(status, "Filtering with the bank...");
  try {
    const response = await call("/api/filter/bank", { method: "POST", body: form });
    const layout = JSON.parse(response.headers.get("X-Tile-Layout"));
    $("bank-responses").src = URL.createObjectURL(await response.blob());
    showStatus(status, `${layout.tiles.length} responses, ${layout.columns} per row: ${layout.tiles.join(", ")}`);
  } catch (error) {
    showProblem(status, error);
  }
}

async function start() {
  const banks = await getJson("/api/filter/banks");
  for (const b of banks) $("bank").add(new Option(`${b.displayName} (${b.filters.length} filters)`, b.name));
  const show = () => { $("bank-filters").src = `/api/filter/banks/${$("bank").value}/image`; };
  $("bank").addEventListener("change", show);
  $("bank-run").addEventListener("click", respond);
  show();
}

start().catch((error) => showProblem($("bank-status"), error));
