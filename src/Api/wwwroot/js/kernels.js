// The kernel catalogue, fetched once and shared by the sections that pick kernels.
import { getJson } from "./api.js";

let catalogue;

export const loadKernels = () => (catalogue ??= getJson("/api/kernels"));

/** Which of size and sigma a named kernel takes; a custom matrix takes neither. */
export function parametersOf(kernels, name) {
  const kernel = kernels.find((k) => k.name === name);
  return kernel ? kernel.parameters : [];
}

export const rounded = (matrix, digits = 3) => matrix.map((row) => row.map((v) => +Number(v).toFixed(digits)));
