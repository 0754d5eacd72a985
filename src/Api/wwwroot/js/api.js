// Shared by every section: calls to the API and the way its problem details are shown.
export const $ = (id) => document.getElementById(id);

/** An error whose message is the problem body's title and detail, keeping the body for callers that point at its parts. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(`${problem.title ?? `Error ${status}`}: ${problem.detail ?? ""}`);
    this.status = status;
    this.problem = problem;
  }
}

async function toProblem(response) {
  try {
    return await response.json();
  } catch {
    return { title: `${response.status} ${response.statusText}`, detail: "The service sent no problem details." };
  }
}

/** fetch that throws ProblemError for any answer other than 2xx. */
export async function call(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ProblemError(0, { title: "The service cannot be reached", detail: String(error.message ?? error) });
  }
  if (!response.ok) throw new ProblemError(response.status, await toProblem(response));
  return response;
}

export const getJson = async (url) => (await call(url)).json();

export const postJson = async (url, body) =>
  (await call(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();

/** Shows work in progress, a result line, or a problem (title in bold, then detail) in a status element. */
export function showStatus(element, text) {
  element.className = "";
  element.textContent = text;
}

export function showProblem(element, error) {
  element.className = "problem";
  element.replaceChildren();
  const title = document.createElement("strong");
  const problem = error instanceof ProblemError ? error.problem : { title: "Something went wrong", detail: String(error?.message ?? error) };
  title.textContent = problem.title ?? "Error";
  const detail = document.createElement("span");
  detail.className = "detail";
  detail.textContent = problem.detail ?? "";
  element.append(title, detail);
}

/** Runs an action, showing "working" in the status element first and the problem if it fails. */
export async function withStatus(element, working, action) {
  showStatus(element, working);
  try {
    await action();
  } catch (error) {
    showProblem(element, error);
  }
}

export const number = (n) => Number(n).toLocaleString("en-US");

export function bytes(n) {
  const units = ["B", "KB", "MB", "GB"];
  let value = Number(n), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** Fills a select with options, keeping the current choice when it still exists. */
export function fillSelect(select, items, preferred) {
  const keep = select.value;
  select.replaceChildren(...items.map(([value, label]) => new Option(label, value)));
  const wanted = [keep, preferred].find((v) => v && items.some(([value]) => value === v));
  if (wanted) select.value = wanted;
}
