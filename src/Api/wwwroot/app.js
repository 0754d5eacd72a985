// The page talks to the same API as every other client; errors are shown from the problem details body.
const $ = (id) => document.getElementById(id);
let kernels = [];

async function problemText(response) {
  try {
    const problem = await response.json();
    return `${response.status} ${problem.title}: ${problem.detail}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function showKernel() {
  const name = $("kernel").value;
  const kernel = kernels.find((k) => k.name === name);
  $("matrix").disabled = name !== "custom";
  $("size-label").hidden = !kernel || !kernel.parameters.includes("size");
  $("sigma-label").hidden = !kernel || !kernel.parameters.includes("sigma");
  $("kernel-info").textContent = kernel
    ? `${kernel.description} ${kernel.rows}x${kernel.cols}${kernel.separable ? ", separable" : ""}: ${JSON.stringify(kernel.matrix.map((r) => r.map((v) => +v.toFixed(3))))}`
    : "A kernel of your own, as a JSON 2-D array.";
}

async function loadKernels() {
  kernels = await (await fetch("/api/kernels")).json();
  const select = $("kernel");
  for (const k of kernels) select.add(new Option(k.name, k.name));
  select.add(new Option("custom", "custom"));
  select.value = "sobel-magnitude";
  select.addEventListener("change", showKernel);
  showKernel();
}

async function loadBanks() {
  const banks = await (await fetch("/api/filter/banks")).json();
  for (const b of banks) $("bank").add(new Option(`${b.displayName} (${b.filters.length} filters)`, b.name));
  const show = () => { $("bank-filters").src = `/api/filter/banks/${$("bank").value}/image`; };
  $("bank").addEventListener("change", show);
  show();
}

$("image").addEventListener("change", () => {
  const file = $("image").files[0];
  if (file) $("original").src = URL.createObjectURL(file);
});

$("filter-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  for (const [key, value] of [...form.entries()]) if (value === "") form.delete(key);
  if (form.get("kernel") === "custom") form.delete("kernel"); else form.delete("matrix");
  $("status").className = "";
  $("status").textContent = "Filtering...";
  const response = await fetch("/api/filter", { method: "POST", body: form });
  if (!response.ok) {
    $("status").className = "error";
    $("status").textContent = await problemText(response);
    return;
  }
  $("result").src = URL.createObjectURL(await response.blob());
  $("status").textContent = `Server timing: ${response.headers.get("Server-Timing")}`;
});

$("bank-run").addEventListener("click", async () => {
  const file = $("image").files[0];
  if (!file) { $("bank-status").textContent = "Choose an image first."; return; }
  const form = new FormData();
  form.append("image", file);
  form.append("bank", $("bank").value);
  $("bank-status").className = "";
  $("bank-status").textContent = "Filtering with the bank...";
  const response = await fetch("/api/filter/bank", { method: "POST", body: form });
  if (!response.ok) {
    $("bank-status").className = "error";
    $("bank-status").textContent = await problemText(response);
    return;
  }
  const layout = JSON.parse(response.headers.get("X-Tile-Layout"));
  $("bank-responses").src = URL.createObjectURL(await response.blob());
  $("bank-status").textContent = `${layout.tiles.length} responses, ${layout.columns} per row: ${layout.tiles.join(", ")}`;
});

loadKernels();
loadBanks();
