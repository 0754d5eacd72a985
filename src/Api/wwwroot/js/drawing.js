// A canvas to draw a digit on with a mouse, pen or finger (pointer events cover all three).
import { $ } from "./api.js";

const canvas = $("digit-canvas");
const context = canvas.getContext("2d");
let drawn = false;

function clear() {
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  drawn = false;
}

function at(event) {
  const box = canvas.getBoundingClientRect();
  return [((event.clientX - box.left) / box.width) * canvas.width, ((event.clientY - box.top) / box.height) * canvas.height];
}

canvas.addEventListener("pointerdown", (event) => {
  canvas.setPointerCapture(event.pointerId);
  context.lineWidth = 20;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#000";
  context.beginPath();
  context.moveTo(...at(event));
});
canvas.addEventListener("pointermove", (event) => {
  if (!canvas.hasPointerCapture(event.pointerId)) return;
  context.lineTo(...at(event));
  context.stroke();
  drawn = true;
});
canvas.addEventListener("pointerup", (event) => canvas.releasePointerCapture(event.pointerId));
$("digit-clear").addEventListener("click", clear);
clear();

export const hasDrawing = () => drawn;

/** The drawing as a PNG file, as if it had been uploaded. */
export const drawingFile = () =>
  new Promise((resolve) => canvas.toBlob((blob) => resolve(new File([blob], "drawing.png", { type: "image/png" })), "image/png"));
