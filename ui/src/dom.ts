// A tiny element builder. Text always goes in as text, never as HTML: file
// paths and error messages come from files an agent or IT wrote.

type Attrs = Record<string, string | boolean | number | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "class") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** A shield glyph; `mark` picks the sign inside it. */
export function shieldIcon(mark: "check" | "alert" | "off", size = 56): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  const path = (d: string, cls: string) => {
    const p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("d", d);
    p.setAttribute("class", cls);
    svg.append(p);
  };
  path("M12 2.5 4 5.5v6.1c0 4.9 3.4 9.1 8 10.4 4.6-1.3 8-5.5 8-10.4V5.5l-8-3Z", "shield-body");
  if (mark === "check") path("m8.2 12.2 2.6 2.6 5-5.2", "shield-mark");
  if (mark === "alert") path("M12 7.5v5.5M12 16.2v.3", "shield-mark");
  if (mark === "off") path("M8.5 8.5l7 7M15.5 8.5l-7 7", "shield-mark");
  return svg;
}
