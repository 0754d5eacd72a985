// The model repository's listing, shared by the sections that pick a model; refreshed after an upload or a delete.
import { getJson, fillSelect } from "./api.js";

const changed = "convservice:models-changed";

export const fetchModels = () => getJson("/api/models");

export const announceModelsChanged = () => document.dispatchEvent(new Event(changed));

/** Keeps a select filled with the ready models that pass the filter, now and after every change. */
export function keepModelSelect(select, accept, preferred) {
  const fill = async () => {
    const models = (await fetchModels()).filter((m) => m.ready && accept(m));
    fillSelect(select, models.map((m) => [m.name, m.displayName ? `${m.name}: ${m.displayName}` : m.name]), preferred);
    select.dispatchEvent(new Event("change"));
  };
  document.addEventListener(changed, fill);
  return fill();
}

export const onModelsChanged = (callback) => document.addEventListener(changed, callback);
