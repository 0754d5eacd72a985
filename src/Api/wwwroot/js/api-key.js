// The API key that guards model changes. It lives in sessionStorage only: gone when the tab closes, sent nowhere but
// this service. Every field bound here shows the same key, so it is typed once whichever section asks for it.
const keyName = "convservice.apiKey";
const changed = "convservice:key-changed";

export const keyHeader = () => ({ "X-Api-Key": sessionStorage.getItem(keyName) ?? "" });

export const hasKey = () => (sessionStorage.getItem(keyName) ?? "") !== "";

function store(value) {
  if (value) sessionStorage.setItem(keyName, value);
  else sessionStorage.removeItem(keyName);
  document.dispatchEvent(new Event(changed));
}

export const forgetKey = () => store("");

/** Keeps a password field and the stored key in step, in both directions. */
export function bindKeyInput(input) {
  input.value = sessionStorage.getItem(keyName) ?? "";
  input.addEventListener("input", () => store(input.value));
  document.addEventListener(changed, () => {
    const value = sessionStorage.getItem(keyName) ?? "";
    if (input.value !== value) input.value = value;
  });
}
