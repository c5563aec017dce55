// Stand-in for topojson-client: the book's charts load no TopoJSON, so vega-loader's
// "topojson" format is left out of the slim runtime (entry.js unregisters it).
function absent() {
  throw new Error("the topojson data format is not in the book's slim Vega runtime");
}
export const feature = absent;
export const mesh = absent;
