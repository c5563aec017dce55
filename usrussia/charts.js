// Draws every chart on a page of the built book, with no request to any other host.
// vl-convert bundles this snippet together with vega, vega-lite and vega-embed, which it
// exposes here as `vegaEmbed`. Each chart is a <figure class="usrussia-chart"> holding its
// Vega-Lite spec as JSON and, inside <noscript>, a static SVG for readers without JavaScript.

const CHART_SELECTOR = "figure.usrussia-chart, div.usrussia-chart";

function pageIsDark() {
  return document.documentElement.dataset.theme === "dark";
}

function nameActionsMenu(target, title) {
  // vega-embed's "..." menu is a <details><summary> whose only content is an icon:
  // give it a name that screen readers can announce.
  const summary = target.querySelector("details > summary");
  if (summary) {
    summary.setAttribute("aria-label", `Save or view chart: ${title}`);
    summary.setAttribute("title", "Save this chart as SVG or PNG");
  }
}

async function drawChart(figure) {
  const specNode = figure.querySelector('script[type="application/json"]');
  const target = figure.querySelector(".usrussia-chart-view");
  if (!specNode || !target) return;
  const spec = JSON.parse(specNode.textContent);
  const options = {
    renderer: "svg",
    // Only local actions: exporting is done in the browser; the online editor is left out
    // because it would send the chart to a third-party site.
    actions: { export: true, source: false, compiled: false, editor: false },
    theme: pageIsDark() ? "dark" : undefined,
    config: pageIsDark() ? { background: null } : {},
  };
  if (figure.usrussiaView) figure.usrussiaView.finalize();
  const result = await vegaEmbed(target, spec, options);
  figure.usrussiaView = result;
  figure.dataset.rendered = "true";
  nameActionsMenu(target, spec.description || "chart");
}

async function drawAllCharts() {
  const figures = Array.from(document.querySelectorAll(CHART_SELECTOR));
  for (const figure of figures) {
    try {
      await drawChart(figure);
    } catch (error) {
      figure.dataset.rendered = "error";
      console.error("usrussia: could not draw chart", error);
    }
  }
}

function start() {
  drawAllCharts();
  // Redraw in the other colour scheme when the reader switches light/dark mode.
  new MutationObserver(drawAllCharts).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
