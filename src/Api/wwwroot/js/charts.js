// Small SVG charts drawn here, so the page needs no chart library and no network.
const svgNs = "http://www.w3.org/2000/svg";
export const palette = ["#2f5dd1", "#e8710a", "#1e8e3e", "#a142f4", "#d93025", "#00838f", "#795548", "#5f6368"];

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function figure(title, chart, legend) {
  const box = document.createElement("figure");
  box.className = "chart";
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  box.append(caption, chart);
  if (legend) box.append(legend);
  return box;
}

/** One horizontal bar per item, each labelled with its formatted value. */
export function barChart(title, items, format) {
  const rowHeight = 28, labelWidth = 150, width = 640, valueWidth = 130;
  const height = items.length * rowHeight + 10;
  const max = Math.max(...items.map((i) => i.value), 1);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}: ${items.map((i) => `${i.label} ${format(i.value)}`).join(", ")}` });
  items.forEach((item, n) => {
    const y = 5 + n * rowHeight;
    const length = ((width - labelWidth - valueWidth) * item.value) / max;
    chart.append(svg("text", { x: labelWidth - 6, y: y + 17, "text-anchor": "end", "font-size": 13 }, item.label));
    const bar = svg("rect", { x: labelWidth, y: y + 3, width: Math.max(length, 1), height: rowHeight - 8, fill: item.color, class: "bar" });
    bar.append(svg("title", {}, `${item.label}: ${format(item.value)}`));
    chart.append(bar, svg("text", { x: labelWidth + length + 6, y: y + 17, "font-size": 12 }, format(item.value)));
  });
  return figure(title, chart);
}

/** One line per series over the layer positions; every point carries its layer name and value as a tooltip. */
export function lineChart(title, series, format, axisFormat = format) {
  const width = 640, height = 240, left = 70, right = 10, top = 10, bottom = 30;
  const longest = Math.max(...series.map((s) => s.points.length), 2);
  const max = Math.max(...series.flatMap((s) => s.points.map((p) => p.value)), 1);
  const x = (i) => left + ((width - left - right) * i) / (longest - 1);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}, per layer, for ${series.map((s) => s.name).join(", ")}` });
  chart.append(svg("line", { x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: "#999" }));
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: y(0), stroke: "#999" }));
  chart.append(svg("text", { x: left - 4, y: top + 10, "text-anchor": "end", "font-size": 11 }, axisFormat(max)));
  chart.append(svg("text", { x: left - 4, y: y(0), "text-anchor": "end", "font-size": 11 }, "0"));
  chart.append(svg("text", { x: (left + width) / 2, y: height - 6, "text-anchor": "middle", "font-size": 11 }, "layer, in order"));
  for (const s of series) {
    chart.append(svg("polyline", { points: s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), fill: "none", stroke: s.color, "stroke-width": 2 }));
    s.points.forEach((p, i) => {
      const dot = svg("circle", { cx: x(i), cy: y(p.value), r: 3, fill: s.color });
      dot.append(svg("title", {}, `${s.name}, ${p.label}: ${format(p.value)}`));
      chart.append(dot);
    });
  }
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const s of series) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    legend.append(item);
  }
  return figure(title, chart, legend);
}
