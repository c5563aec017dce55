// The book's charts, with no request to any other host.
//
// Each chart is a <figure class="usrussia-chart"> naming its Vega spec (compiled at build
// time) and holding a <picture> of static SVGs painted at once. Near the viewport, this
// loader fetches the Vega runtime (once, from _static/) and the spec, and draws the chart
// over the picture in exactly its box: sized to the column, headline wrapped, colours
// from the page's light or dark theme.
//
// A chart whose lazy drawing is not yet fetched is drawn once: its static SVG is held back
// (src and srcset kept in data attributes, the box at its size) and put back if drawing
// fails, and for printing. Without JavaScript every image loads.
(() => {
  "use strict";
  if (window.usrussiaCharts) return;

  const FIGURES = "figure.usrussia-chart";
  const loader = document.currentScript;
  const RUNTIME_URL = new URL("vega.min.js", loader ? loader.src : document.baseURI).href;
  const EAGER =
    (loader && loader.dataset.eager === "true") ||
    !!document.querySelector("script[data-eager='true'][src*='usrussia/charts.js']");
  const NEAR_VIEWPORT = "400px 0px";
  // Charts whose static SVG is held back are drawn this far ahead of the viewport (the
  // distance at which Chromium starts fetching lazy images), so that a reader scrolling
  // normally finds them drawn.
  const AHEAD_PX = 1250;
  const FAR_AHEAD = `${AHEAD_PX}px 0px`;
  // Containers the reader opens (solutions, details): charts in them are not held back.
  const FOLDABLE = "details, .dropdown, .toggle, .toggle-hidden";
  const TEXT_CONTRAST = 4.5;
  const GRAPHIC_CONTRAST = 3;
  // Below this width, legends list their entries one under another instead of in a row.
  const NARROW = 500;

  // --- The Vega runtime, loaded once -----------------------------------------------------
  let runtime = null;
  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise((resolve, reject) => {
        if (window.vega && window.vega.View) return resolve(window.vega);
        const script = document.createElement("script");
        script.src = RUNTIME_URL;
        script.async = true;
        script.onload = () => resolve(window.vega);
        script.onerror = () => reject(new Error(`could not load ${RUNTIME_URL}`));
        document.head.appendChild(script);
      });
    }
    return runtime;
  }

  // --- Colours: the theme's, made readable ---------------------------------------------
  const probe = document.createElement("canvas").getContext("2d");

  function toRgb(color) {
    probe.fillStyle = "#000000";
    probe.fillStyle = color;
    const value = probe.fillStyle; // "#rrggbb", or "rgba(r, g, b, a)" when translucent
    if (value.startsWith("#")) {
      return [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16) / 255);
    }
    const parts = value.match(/[\d.]+/g) || ["0", "0", "0"];
    return parts.slice(0, 3).map((p) => Number(p) / 255);
  }

  function toHex(rgb) {
    return "#" + rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, "0")).join("");
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }

  // `color` mixed towards black or white just enough to reach `minimum` contrast.
  function readable(color, background, minimum) {
    if (typeof color !== "string") return color;
    const rgb = toRgb(color);
    const bg = toRgb(background);
    if (contrast(rgb, bg) >= minimum) return color;
    const target = luminance(bg) > 0.18 ? 0 : 1;
    for (let step = 1; step <= 20; step++) {
      const mixed = rgb.map((c) => c + (target - c) * (step / 20));
      if (contrast(mixed, bg) >= minimum) return toHex(mixed);
    }
    return target ? "#ffffff" : "#000000";
  }

  function cssVariable(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // The colour actually behind the charts: the first opaque background up the tree.
  function backgroundOf(element) {
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      const alpha = color.match(/rgba\([^)]*,\s*([\d.]+)\)/);
      if (color !== "transparent" && !(alpha && Number(alpha[1]) < 0.5)) return color;
    }
    return document.documentElement.dataset.theme === "dark" ? "#121212" : "#ffffff";
  }

  function palette(figure) {
    const dark = document.documentElement.dataset.theme === "dark";
    const background = toHex(toRgb(backgroundOf(figure)));
    const text = readable(cssVariable("--pst-color-text-base", dark ? "#ced6dd" : "#222832"), background, TEXT_CONTRAST);
    const muted = readable(cssVariable("--pst-color-text-muted", dark ? "#9ca4af" : "#48566b"), background, TEXT_CONTRAST);
    const line = readable(cssVariable("--pst-color-border", dark ? "#48566b" : "#d1d5da"), background, 1.5);
    return { dark, background, text, muted, line };
  }

  function modeConfig(p) {
    return {
      background: null,
      title: { color: p.text, subtitleColor: p.muted },
      axis: {
        labelColor: p.text,
        titleColor: p.text,
        domainColor: p.muted,
        tickColor: p.muted,
        gridColor: p.line,
      },
      legend: { labelColor: p.text, titleColor: p.text },
      style: {
        "guide-label": { fill: p.text },
        "guide-title": { fill: p.text },
        "group-title": { fill: p.text },
        "group-subtitle": { fill: p.muted },
      },
    };
  }

  function merge(target, source) {
    for (const [key, value] of Object.entries(source)) {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        target[key] = merge(target[key] && typeof target[key] === "object" ? target[key] : {}, value);
      } else {
        target[key] = value;
      }
    }
    return target;
  }

  function* walkMarks(marks) {
    for (const mark of marks || []) {
      yield mark;
      yield* walkMarks(mark.marks);
    }
  }

  // Fixed colours set in a chart (a grey label, a coloured annotation) made readable on
  // this mode's background: text to 4.5:1, rules to 3:1. Neutral greys become the theme's.
  function readableMarks(spec, p) {
    for (const mark of walkMarks(spec.marks)) {
      const channel = mark.type === "text" ? "fill" : mark.type === "rule" ? "stroke" : null;
      if (!channel) continue;
      for (const set of Object.values(mark.encode || {})) {
        const value = set && set[channel];
        if (!value || typeof value.value !== "string") continue;
        const rgb = toRgb(value.value);
        const neutral = Math.max(...rgb) - Math.min(...rgb) < 0.08;
        if (mark.type === "text") {
          value.value = neutral ? p.text : readable(value.value, p.background, TEXT_CONTRAST);
        } else {
          value.value = neutral ? p.muted : readable(value.value, p.background, GRAPHIC_CONTRAST);
        }
      }
    }
  }

  // Every mark colour (fixed and conditional fills and strokes, legend swatches, colour
  // scales' ranges) made 3:1 on this mode's background (WCAG 1.4.11): colours that reach
  // it are kept; others are mixed towards white (dark page) or black just enough; black
  // or white (an outline) becomes the text colour. Translucent washes are left alone.
  const COLOR_CHANNELS = ["fill", "stroke"];
  const COLOR_LIKE = /^(#|rgba?\(|hsla?\(|[a-z]+$)/i;

  // An opaque colour (a translucent or transparent one is a wash, left as it is).
  function isColor(value) {
    if (typeof value !== "string" || !COLOR_LIKE.test(value.trim())) return false;
    probe.fillStyle = "#010203";
    probe.fillStyle = value;
    const parsed = probe.fillStyle;
    if (!parsed.startsWith("#")) return false; // "rgba(...)": not opaque
    return parsed !== "#010203" || value.trim().toLowerCase() === "#010203";
  }

  // `color` as seen at `alpha` over the background reaching 3:1, mixed as little as needed.
  function visibleMark(color, p, alpha = 1) {
    if (!isColor(color)) return color;
    const rgb = toRgb(color);
    const bg = toRgb(p.background);
    const seen = (c) => c.map((v, k) => v * alpha + bg[k] * (1 - alpha));
    if (contrast(seen(rgb), bg) >= GRAPHIC_CONTRAST) return color;
    const neutral = Math.max(...rgb) - Math.min(...rgb) < 0.08;
    const extreme = luminance(rgb) < 0.01 || luminance(rgb) > 0.9;
    if (neutral && extreme && contrast(seen(toRgb(p.text)), bg) >= GRAPHIC_CONTRAST) return p.text;
    const target = luminance(bg) > 0.18 ? 0 : 1;
    for (let step = 1; step <= 20; step++) {
      const mixed = rgb.map((c) => c + (target - c) * (step / 20));
      if (contrast(seen(mixed), bg) >= GRAPHIC_CONTRAST) return toHex(mixed);
    }
    return target ? "#ffffff" : "#000000";
  }

  // One encoding channel's value: a plain {value}, or a list of {test, value} rules.
  function visibleChannel(entry, p, alpha) {
    const rules = Array.isArray(entry) ? entry : [entry];
    for (const rule of rules) {
      if (rule && typeof rule.value === "string") rule.value = visibleMark(rule.value, p, alpha);
    }
  }

  // The opacity a mark is drawn at (its highest, as when its legend entry is picked).
  function markOpacity(sets, channel) {
    let alpha = null;
    for (const set of sets) {
      for (const key of [`${channel}Opacity`, "opacity"]) {
        const rules = Array.isArray(set[key]) ? set[key] : [set[key]];
        for (const rule of rules) {
          if (rule && typeof rule.value === "number") alpha = Math.max(alpha ?? 0, rule.value);
        }
      }
    }
    return alpha ?? 1;
  }

  function visibleMarks(spec, p) {
    const groups = [];
    for (const mark of walkMarks(spec.marks)) {
      if (mark.type === "text" || mark.type === "rule" || mark.type === "group") continue;
      groups.push(Object.values(mark.encode || {}).filter((set) => set && typeof set === "object"));
    }
    for (const legend of spec.legends || []) {
      // The swatches only: a legend's entries and labels are its background and its text.
      const symbols = (legend.encode || {}).symbols || {};
      groups.push(Object.values(symbols).filter((set) => set && typeof set === "object"));
      for (const key of ["symbolFillColor", "symbolStrokeColor"]) {
        if (typeof legend[key] === "string") legend[key] = visibleMark(legend[key], p);
      }
    }
    // Each colour scale, seen at the opacity of the most translucent mark drawn from it.
    const scaleAlpha = {};
    for (const sets of groups) {
      for (const channel of COLOR_CHANNELS) {
        const alpha = markOpacity(sets, channel);
        // A translucent wash (a shaded period behind the data) stays as designed.
        if (alpha < 0.5) continue;
        for (const set of sets) {
          if (!set[channel]) continue;
          visibleChannel(set[channel], p, alpha);
          for (const rule of Array.isArray(set[channel]) ? set[channel] : [set[channel]]) {
            if (rule && typeof rule.scale === "string") {
              scaleAlpha[rule.scale] = Math.min(scaleAlpha[rule.scale] ?? 1, alpha);
            }
          }
        }
      }
    }
    const scales = [...(spec.scales || [])];
    for (const mark of walkMarks(spec.marks)) scales.push(...(mark.scales || []));
    for (const scale of scales) {
      const discrete = !scale.type || ["ordinal", "point", "band"].includes(scale.type);
      if (discrete && Array.isArray(scale.range) && scale.range.every(isColor)) {
        scale.range = scale.range.map((color) => visibleMark(color, p, scaleAlpha[scale.name] ?? 1));
      }
    }
    // Scales that draw from the theme's named ranges ("category"): those ranges too.
    const rangeAlpha = {};
    for (const scale of scales) {
      if (typeof scale.range === "string") {
        rangeAlpha[scale.range] = Math.min(rangeAlpha[scale.range] ?? 1, scaleAlpha[scale.name] ?? 1);
      }
    }
    const ranges = (spec.config = spec.config || {}).range || {};
    for (const name of ["category", "ordinal"]) {
      if (Array.isArray(ranges[name]) && ranges[name].every(isColor)) {
        ranges[name] = ranges[name].map((color) => visibleMark(color, p, rangeAlpha[name] ?? 1));
      }
    }
    const markConfig = spec.config;
    for (const key of ["mark", "rect", "symbol", "line", "area", "path", "shape", "arc"]) {
      const style = markConfig[key];
      if (!style) continue;
      for (const channel of ["fill", "stroke", "color"]) {
        if (typeof style[channel] === "string") style[channel] = visibleMark(style[channel], p);
      }
    }
  }

  // --- Headlines wrapped to the width ---------------------------------------------------
  function fontOf(config, role) {
    const style = (config.style || {})[role === "title" ? "group-title" : "group-subtitle"] || {};
    const title = config.title || {};
    const family = style.font || title.font || config.font || "sans-serif";
    const size = role === "title" ? style.fontSize || title.fontSize || 13 : title.subtitleFontSize || style.fontSize || 10;
    const weight = role === "title" ? title.fontWeight || "bold" : title.subtitleFontWeight || "normal";
    return `${weight} ${size}px ${family}`;
  }

  function wrap(paragraphs, room, font) {
    probe.font = font;
    const lines = [];
    for (const paragraph of paragraphs) {
      let line = "";
      for (const word of String(paragraph).split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && probe.measureText(candidate).width > room) {
          lines.push(line);
          line = word;
        } else {
          line = candidate;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  function fitHeadline(spec, width) {
    const meta = (spec.usermeta || {}).usrussia;
    if (!meta || !spec.title || typeof spec.title !== "object") return;
    const config = spec.config || {};
    const padding = typeof spec.padding === "number" ? spec.padding : 5;
    // Leave room at the right for the save menu's button, which sits over the corner.
    const room = width - 2 * padding - 40;
    if (meta.title && meta.title.length) spec.title.text = wrap(meta.title, room, fontOf(config, "title"));
    if (meta.subtitle && meta.subtitle.length) {
      spec.title.subtitle = wrap(meta.subtitle, room, fontOf(config, "subtitle"));
    }
    // Start the headline at the chart's left edge, not the plot's, to use the full width.
    spec.title.frame = "bounds";
  }

  function stackLegendEntries(spec) {
    for (const legend of spec.legends || []) {
      if (!legend.orient || legend.orient === "bottom" || legend.orient === "top") {
        legend.direction = "vertical";
        delete legend.columns;
      }
    }
  }

  // How far the chart's visible text reaches past its left and right edges, in px.
  function overflow(svg) {
    const box = svg.getBoundingClientRect();
    let left = 0;
    let right = 0;
    let top = 0;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim() || getComputedStyle(text).opacity === "0") continue;
      const t = text.getBoundingClientRect();
      if (!t.width) continue;
      left = Math.max(left, box.left - t.left);
      right = Math.max(right, t.right - box.right);
      top = Math.max(top, box.top - t.top);
    }
    return { left: Math.ceil(left), right: Math.ceil(right), top: Math.ceil(top) };
  }

  // Annotations (text marks the chart sets, not axes or legends) one size smaller, for
  // a text that is still too long for a narrow plot after the plot moved in.
  const TEXT_SCALE = "usrussia_text_scale";
  function scalableAnnotations(spec) {
    const base = ((spec.config || {}).text || {}).fontSize || 11;
    spec.signals = [...(spec.signals || []), { name: TEXT_SCALE, value: 1 }];
    for (const mark of walkMarks(spec.marks)) {
      if (mark.type !== "text") continue;
      const update = ((mark.encode = mark.encode || {}).update = mark.encode.update || {});
      const given = update.fontSize || (mark.encode.enter || {}).fontSize;
      const size = given && typeof given.value === "number" ? given.value : base;
      if (given && given.value === undefined) continue; // a size from data: leave it
      update.fontSize = { signal: `${TEXT_SCALE} * ${size}` };
    }
  }

  // Vertical axes' titles, each given by a signal holding its lines, so that fitBox can
  // wrap them to the plot's height. Returns [{signal, words, font, lines}].
  const AXIS_TITLE = "usrussia_axis_title_";
  function wrappableAxisTitles(spec) {
    const titles = [];
    const config = (spec.config || {}).axis || {};
    const yConfig = (spec.config || {}).axisY || {};
    (spec.axes || []).forEach((axis, index) => {
      if (axis.orient !== "left" && axis.orient !== "right") return;
      const given = axis.title;
      const text = Array.isArray(given) ? given.join(" ") : given;
      if (typeof text !== "string" || !text.trim()) return;
      const pick = (key, fallback) => axis[key] ?? yConfig[key] ?? config[key] ?? fallback;
      const family = pick("titleFont", (spec.config || {}).font || "sans-serif");
      const font = `${pick("titleFontWeight", "bold")} ${pick("titleFontSize", 11)}px ${family}`;
      const signal = `${AXIS_TITLE}${index}`;
      const lines = Array.isArray(given) ? given : [given];
      spec.signals = [...(spec.signals || []), { name: signal, value: lines }];
      axis.title = { signal };
      titles.push({ signal, text, font, lines });
    });
    return titles;
  }

  function titlesLongerThan(titles, room) {
    return titles.some((title) => {
      probe.font = title.font;
      return title.lines.some((line) => probe.measureText(line).width > room + 1);
    });
  }

  // Each vertical axis title wrapped to `room` px; whether any changed.
  function wrapAxisTitles(chart, titles, room) {
    let changed = false;
    for (const title of titles) {
      const lines = wrap([title.text], Math.max(room, 40), title.font);
      if (lines.join("\n") === title.lines.join("\n")) continue;
      title.lines = lines;
      chart.signal(title.signal, lines.length === 1 ? lines[0] : lines);
      changed = true;
    }
    return changed;
  }

  function shrinkAnnotations(spec, chart) {
    chart.signal(TEXT_SCALE, 0.75);
  }

  // A legend's title and labels get the chart's width, so that Vega shortens none with
  // "…": on a phone, under the plot. (render.fit_legends does the same.)
  function limitLegends(spec, width) {
    const room = width - (width < NARROW ? 90 : 130);
    const config = spec.config || {};
    const family = ((config.style || {})["guide-label"] || {}).font || config.font || "sans-serif";
    const font = `${(config.legend || {}).labelFontSize || 10}px ${family}`;
    // A longer label (a value in the data) on two lines or more.
    const lines = {};
    JSON.stringify(spec.data || [], (key, value) => {
      const wrapped = typeof value === "string" && wrap([value], room - 20, font);
      if (wrapped && wrapped.length > 1) lines[value] = wrapped;
      return value;
    });
    spec.signals = [...(spec.signals || []), { name: "usrussia_lines", value: lines }];
    for (const legend of spec.legends || []) {
      if (width < NARROW) legend.orient = "bottom";
      legend.labelLimit = legend.titleLimit = room;
      const labels = ((legend.encode ||= {}).labels ||= {});
      labels.update = { ...labels.update, text: { signal: "usrussia_lines[datum.label] || datum.label" } };
    }
  }

  // A width derived from a band step made a set width (as render.py does).
  function unstepWidth(spec) {
    const signals = spec.signals || [];
    const derived = signals.find((s) => s.name === "width" && s.update);
    if (!derived || spec.layout || !/^bandspace\(/.test(derived.update)) return;
    const stepped = (spec.scales || []).filter((s) => s.range && s.range.step);
    if (stepped.length !== 1 || stepped[0].name !== "x") return;
    stepped[0].range = [0, { signal: "width" }];
    spec.signals = signals.filter((s) => s !== derived);
    spec.width = typeof spec.width === "number" ? spec.width : 400;
  }

  // A chart drawn as one view (or a layer) fits any box; its width and height come from
  // signals only when Vega-Lite sized it by a band step, which cannot be fitted.
  function fits(spec) {
    const derived = (spec.signals || []).some(
      (s) => (s.name === "width" || s.name === "height") && s.update,
    );
    return !derived && !spec.layout && typeof spec.width === "number";
  }

  // --- Tooltips and the save menu -------------------------------------------------------
  let tooltip = null;
  function showTooltip(handler, event, item, value) {
    // Vega calls this on every pointer move and leave; the element is made only when
    // there is something to show, so a page nobody pointed at has none.
    if (!tooltip && (value == null || value === "")) return;
    if (!tooltip) {
      tooltip = document.createElement("div");
      tooltip.className = "usrussia-chart-tooltip";
      tooltip.setAttribute("role", "tooltip");
      document.body.appendChild(tooltip);
    }
    if (value == null || value === "") {
      tooltip.hidden = true;
      return;
    }
    tooltip.replaceChildren();
    if (typeof value === "object") {
      const table = document.createElement("table");
      for (const [key, entry] of Object.entries(value)) {
        const row = table.insertRow();
        const head = document.createElement("th");
        head.textContent = key;
        row.appendChild(head);
        row.insertCell().textContent = String(entry);
      }
      tooltip.appendChild(table);
    } else {
      tooltip.textContent = String(value);
    }
    tooltip.hidden = false;
    const gap = 12;
    const { innerWidth, innerHeight } = window;
    const box = tooltip.getBoundingClientRect();
    let left = event.clientX + gap;
    let top = event.clientY + gap;
    if (left + box.width > innerWidth - 4) left = Math.max(4, event.clientX - gap - box.width);
    if (top + box.height > innerHeight - 4) top = Math.max(4, event.clientY - gap - box.height);
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  const DOTS =
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">' +
    '<circle cx="3" cy="8" r="1.6"/><circle cx="8" cy="8" r="1.6"/><circle cx="13" cy="8" r="1.6"/></svg>';

  function saveMenu(figure, title) {
    const menu = document.createElement("details");
    menu.className = "usrussia-chart-actions";
    const summary = document.createElement("summary");
    summary.innerHTML = DOTS;
    summary.setAttribute("aria-label", `Save chart: ${title}`);
    summary.title = "Save this chart as SVG or PNG";
    menu.appendChild(summary);
    const list = document.createElement("div");
    for (const [label, type] of [["Save as SVG", "svg"], ["Save as PNG", "png"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", async () => {
        const view = figure.usrussiaView && figure.usrussiaView.view;
        if (!view) return;
        const link = document.createElement("a");
        link.href = await view.toImageURL(type, type === "png" ? 2 : 1);
        link.download = `chart-${figure.dataset.chartId || "book"}.${type}`;
        link.click();
        menu.open = false;
      });
      list.appendChild(button);
    }
    menu.appendChild(list);
    return menu;
  }

  // The save menu closes as the theme's menus do: with Escape (focus back on its button)
  // or a click anywhere else.
  function closeSaveMenus(keep) {
    for (const menu of document.querySelectorAll("details.usrussia-chart-actions[open]")) {
      if (keep && menu.contains(keep)) continue;
      const hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) menu.querySelector("summary").focus();
    }
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeSaveMenus(null);
  });
  document.addEventListener("click", (event) => closeSaveMenus(event.target));

  // The plot takes the height the rest leaves in the box; text past the edges moves the
  // plot in or, when that cannot help, is set smaller.
  async function fitBox(chart, svg, height, spec, titles) {
    let before = Infinity;
    let shrunk = false;
    const fitHeight = async () => {
      for (let pass = 0; pass < 3; pass++) {
        const total = Number(svg.getAttribute("height"));
        if (Math.abs(total - height) < 1) break;
        chart.height(Math.max(60, chart.height() + height - total));
        await chart.runAsync();
      }
    };
    for (let round = 0; round < 4; round++) {
      await fitHeight();
      // A vertical axis title longer than the plot pushes the bounds out, and the box is
      // kept by squashing the plot: wrap it to the plot's height, which then grows back.
      for (let rewrap = 0; rewrap < 3 && wrapAxisTitles(chart, titles, chart.height()); rewrap++) {
        await chart.runAsync();
        await fitHeight();
      }
      if (titlesLongerThan(titles, chart.height()) && wrapAxisTitles(chart, titles, chart.height())) {
        await chart.runAsync();
        await fitHeight();
      }
      const over = overflow(svg);
      // A headline of many lines can reach above the box (Vega undercounts its height).
      const reach = over.left + over.right + over.top;
      if (reach < 1) return;
      if (reach < before && round < 2) {
        const step = (edge) => (edge < 1 ? 0 : Math.ceil(edge * 1.5) + 2);
        const pad = chart.padding();
        const [left, right, top] = [over.left, over.right, over.top].map(step);
        chart.padding({ ...pad, left: pad.left + left, right: pad.right + right, top: pad.top + top });
      } else if (!shrunk) {
        shrinkAnnotations(spec, chart);
        shrunk = true;
      } else {
        return;
      }
      before = reach;
      // Padding changed: let autosize fit the plot to the width again.
      await chart.resize().runAsync();
    }
  }

  // --- Drawing --------------------------------------------------------------------------
  async function viewIn(live, vega, spec) {
    live.replaceChildren();
    const chart = new vega.View(vega.parse(spec), { renderer: "svg", hover: true, logLevel: 2 }); // 2: Warn
    chart.tooltip(showTooltip);
    await chart.initialize(live).runAsync();
    return chart;
  }

  // Whether a legend's text reaches past the chart's left or right edge.
  function legendOverflows(svg) {
    if (!svg) return false;
    const box = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll(".role-legend text")).some((text) => {
      const t = text.getBoundingClientRect();
      return t.width > 0 && (t.right > box.right + 1 || t.left < box.left - 1);
    });
  }

  // The chart's Vega spec: a <script> (data-spec; not fetch(), so that a page opened from
  // disk draws too) that calls receiveSpec, or inline (the print edition).
  const specWaiters = {};
  function receiveSpec(id, spec) {
    for (const resolve of specWaiters[id] || []) resolve(spec);
    delete specWaiters[id];
  }

  // Specs are packed (usrussia/spec_pack.py); unpackSpec gives back the spec as compiled,
  // exactly (the tests compare the two).
  const SHARED_CONFIGS = {};
  const PACKED = "usrussiaPacked";
  const COLUMNS = "usrussiaColumns";
  const SHARED_CONFIG_PREFIX = "usrussia-theme-config:";

  function resolveStrings(node, table) {
    if (typeof node === "string") {
      if (!node.startsWith("~")) return node;
      const text = table[parseInt(node.slice(1), 36)];
      if (text === undefined) throw new Error(`usrussia: no string ${node} in the spec's table`);
      return text;
    }
    if (Array.isArray(node)) return node.map((item) => resolveStrings(item, table));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveStrings(v, table)]));
    }
    return node;
  }

  function rowsOf({ keys, columns }) {
    const values = columns.map((c) => (Array.isArray(c) ? c : c.index.map((i) => c.distinct[i])));
    // Object.fromEntries makes own properties of every key (even "__proto__"), as JSON.parse does.
    return values[0].map((_, row) => Object.fromEntries(keys.map((key, k) => [key, values[k][row]])));
  }

  function unpackSpec(packed) {
    if (!packed || !packed[PACKED]) return packed;
    const table = packed[PACKED].strings || [];
    let spec = Object.fromEntries(Object.entries(packed).filter(([key]) => key !== PACKED));
    if (table.length) spec = resolveStrings(spec, table);
    if (Array.isArray(spec.data)) {
      spec.data = spec.data.map((entry) =>
        entry && entry[COLUMNS]
          ? Object.fromEntries(
              Object.entries(entry).map(([k, v]) => (k === COLUMNS ? ["values", rowsOf(v)] : [k, v])),
            )
          : entry,
      );
    }
    if (typeof spec.config === "string" && spec.config.startsWith(SHARED_CONFIG_PREFIX)) {
      const digest = spec.config.slice(SHARED_CONFIG_PREFIX.length);
      if (!SHARED_CONFIGS[digest]) throw new Error(`usrussia: no theme config ${digest} in charts.js`);
      spec.config = structuredClone(SHARED_CONFIGS[digest]);
    }
    return spec;
  }

  function specOf(figure) {
    if (!figure.usrussiaSpec) {
      const inline = figure.querySelector('script[type="application/json"]');
      figure.usrussiaSpec = inline
        ? Promise.resolve().then(() => unpackSpec(JSON.parse(inline.textContent)))
        : new Promise((resolve, reject) => {
            const id = figure.dataset.chartId;
            (specWaiters[id] = specWaiters[id] || []).push((spec) => {
              try {
                resolve(unpackSpec(spec));
              } catch (error) {
                reject(error);
              }
            });
            const script = document.createElement("script");
            script.src = figure.dataset.spec;
            script.async = true;
            script.onerror = () => reject(new Error(`could not load ${figure.dataset.spec}`));
            document.head.appendChild(script);
          });
      figure.usrussiaSpec.catch(() => (figure.usrussiaSpec = null));
    }
    return figure.usrussiaSpec;
  }

  async function draw(figure) {
    const view = figure.querySelector(".usrussia-chart-view");
    const picture = figure.querySelector(".usrussia-chart-static");
    if (!view || !picture) return;
    if (!figure.dataset.spec && !figure.querySelector('script[type="application/json"]')) return;
    const [vega, given] = await Promise.all([loadRuntime(), specOf(figure)]);
    const spec = structuredClone(given); // drawing changes the spec: keep the given one
    const box = picture.getBoundingClientRect();
    const width = Math.round(box.width);
    const height = Math.round(box.height);
    const colours = palette(figure);
    spec.config = merge(spec.config || {}, modeConfig(colours));
    readableMarks(spec, colours);
    visibleMarks(spec, colours);
    unstepWidth(spec);
    const fitted = fits(spec) && width > 0 && height > 0;
    let titles = [];
    if (fitted) {
      fitHeadline(spec, width);
      limitLegends(spec, width);
      scalableAnnotations(spec);
      titles = wrappableAxisTitles(spec);
      if (width < NARROW) stackLegendEntries(spec);
      // Fit the width exactly; the height is found below, so that no text is cut.
      spec.width = width;
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    let live = view.querySelector(".usrussia-chart-live");
    if (!live) {
      live = document.createElement("div");
      live.className = "usrussia-chart-live";
      view.appendChild(live);
    }
    if (figure.usrussiaView) figure.usrussiaView.view.finalize();
    let chart = await viewIn(live, vega, spec);
    let svg = live.querySelector("svg");
    if (fitted && width >= NARROW && legendOverflows(svg)) {
      // A legend whose entries, in a row, run past the chart's edge (the browser's font
      // can be wider than the one the legend was laid out for): list them in a column.
      stackLegendEntries(spec);
      chart.finalize();
      chart = await viewIn(live, vega, spec);
      svg = live.querySelector("svg");
    }
    if (fitted) {
      // Text that reaches past the edges (a label at the plot's end, an annotation)
      // moves the plot in by as much.
      await fitBox(chart, svg, height, spec, titles);
    }
    const tooWide = svg && Number(svg.getAttribute("width")) > width + 1;
    if (svg && (tooWide || Number(svg.getAttribute("height")) > height + 1)) {
      // Still too tall or too wide (a chart that cannot be fitted): scale it, whole, into
      // the box.
      svg.style.width = "100%";
      svg.style.height = "100%";
    }
    figure.usrussiaView = { view: chart, width, height, theme: colours.dark };
    if (!view.querySelector(".usrussia-chart-actions")) {
      view.appendChild(saveMenu(figure, view.dataset.description || "chart"));
    }
    figure.dataset.rendered = "true";
  }

  // --- Static SVGs held back for charts below the first screen ----------------------------
  const HELD_SRC = "usrussiaSrc";
  const HELD_SRCSET = "usrussiaSrcset";

  // The drawing's width / height for this screen, as the browser picks it.
  function drawingRatio(picture, img) {
    for (const source of picture.querySelectorAll("source")) {
      const media = source.getAttribute("media");
      if (!media || window.matchMedia(media).matches) {
        return `${source.getAttribute("width")} / ${source.getAttribute("height")}`;
      }
    }
    return `${img.getAttribute("width")} / ${img.getAttribute("height")}`;
  }

  function held(figure) {
    const img = figure.querySelector("img.usrussia-chart-static");
    return !!img && img.dataset[HELD_SRC] !== undefined;
  }

  // Hold back the static SVG of a lazy drawing not fetched yet, keeping its box; whether
  // it was held back.
  function holdBack(figure) {
    const picture = figure.querySelector(".usrussia-chart-picture");
    const img = figure.querySelector("img.usrussia-chart-static");
    if (!picture || !img || img.getAttribute("loading") !== "lazy" || !img.hasAttribute("src")) {
      return false;
    }
    if (img.complete && img.naturalWidth > 0) return false; // already there
    img.style.aspectRatio = drawingRatio(picture, img);
    for (const source of picture.querySelectorAll("source[srcset]")) {
      source.dataset[HELD_SRCSET] = source.getAttribute("srcset");
      source.removeAttribute("srcset");
    }
    img.dataset[HELD_SRC] = img.getAttribute("src");
    img.removeAttribute("src");
    return true;
  }

  // Put the static SVG back (drawing failed, or the page is to be printed).
  function putBack(figure) {
    const picture = figure.querySelector(".usrussia-chart-picture");
    const img = figure.querySelector("img.usrussia-chart-static");
    if (!picture || !img || img.dataset[HELD_SRC] === undefined) return;
    for (const source of picture.querySelectorAll("source")) {
      if (source.dataset[HELD_SRCSET] === undefined) continue;
      source.setAttribute("srcset", source.dataset[HELD_SRCSET]);
      delete source.dataset[HELD_SRCSET];
    }
    img.setAttribute("src", img.dataset[HELD_SRC]);
    delete img.dataset[HELD_SRC];
    img.addEventListener("load", () => img.style.removeProperty("aspect-ratio"), { once: true });
  }

  const queue = [];
  let running = null;
  function request(figure) {
    if (figure.usrussiaQueued) return running || Promise.resolve();
    figure.usrussiaQueued = true;
    queue.push(figure);
    if (!running) {
      running = (async () => {
        while (queue.length) {
          const next = queue.shift();
          try {
            await draw(next);
          } catch (error) {
            next.dataset.rendered = "error";
            putBack(next);
            console.error("usrussia: could not draw chart", error);
          }
          next.usrussiaQueued = false;
        }
        running = null;
      })();
    }
    return running;
  }

  function figures() {
    return Array.from(document.querySelectorAll(FIGURES));
  }

  async function drawAll() {
    for (const figure of figures()) if (figure.dataset.rendered !== "true") request(figure);
    while (running) await running;
  }

  function redrawDrawn() {
    for (const figure of figures()) if (figure.usrussiaView) request(figure);
  }

  function start() {
    const all = figures();
    if (!all.length) return;
    if (EAGER || !("IntersectionObserver" in window)) {
      drawAll();
    } else {
      const onNear = (entries, watcher) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          watcher.unobserve(entry.target);
          // Already drawn (drawAll, printing): not again.
          if (entry.target.dataset.rendered !== "true") request(entry.target);
        }
      };
      const near = new IntersectionObserver(onNear, { rootMargin: NEAR_VIEWPORT });
      const ahead = new IntersectionObserver(onNear, { rootMargin: FAR_AHEAD });
      // Charts already near the viewport (the first screen's) keep their static SVG,
      // painted with the page; the others are drawn only once, interactive.
      // A chart in a dropdown (a solution) is not fetched until the reader opens it, and
      // is then at once in view: it keeps its static SVG too.
      const viewport = window.innerHeight || document.documentElement.clientHeight;
      for (const figure of all) {
        const box = figure.getBoundingClientRect();
        const nearNow = box.top < viewport + AHEAD_PX && box.bottom > -AHEAD_PX;
        const folded =
          !figure.getClientRects().length ||
          figure.closest(FOLDABLE) ||
          (figure.checkVisibility && !figure.checkVisibility({ visibilityProperty: true }));
        if (!nearNow && !folded && holdBack(figure)) ahead.observe(figure);
        else near.observe(figure);
      }
    }
    // The column changed width (window resized, sidebar toggled): draw again to fit.
    if ("ResizeObserver" in window) {
      let timer = null;
      const resized = new ResizeObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          for (const figure of all) {
            if (held(figure)) {
              // Not drawn yet: keep the box at the proportions of this width's drawing.
              const img = figure.querySelector("img.usrussia-chart-static");
              img.style.aspectRatio = drawingRatio(figure.querySelector(".usrussia-chart-picture"), img);
            }
            const drawn = figure.usrussiaView;
            const box = figure.querySelector(".usrussia-chart-static");
            if (drawn && box && Math.round(box.getBoundingClientRect().width) !== drawn.width) {
              request(figure);
            }
          }
        }, 150);
      });
      all.forEach((figure) => resized.observe(figure));
    }
    // Draw again in the other colour scheme when the reader switches light/dark mode.
    new MutationObserver(redrawDrawn).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
    // Printing: every drawing goes back in (a chart drawn covers it, as on screen).
    window.addEventListener("beforeprint", () => {
      all.forEach(putBack);
      drawAll();
    });
  }

  // specFor(figure): the chart's spec as drawn from (unpacked), for the tests.
  window.usrussiaCharts = { drawAll, loadRuntime, receiveSpec, specFor: specOf };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
