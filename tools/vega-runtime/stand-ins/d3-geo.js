// Stand-in for d3-geo: the book's charts draw no maps, so vega-functions' geoArea,
// geoBounds and geoCentroid are left out of the slim runtime (entry.js unregisters them).
function absent() {
  throw new Error("geographic functions are not in the book's slim Vega runtime");
}
export const geoArea = absent;
export const geoBounds = absent;
export const geoCentroid = absent;
