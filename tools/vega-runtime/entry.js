// The book's slim Vega runtime: Vega's parser and View with only the transforms, data
// formats, expression functions and renderer that the book's charts use. Built by
// `make vega-runtime` (rollup.config.mjs) into usrussia/vendor/vega.min.js, served as
// _static/usrussia/vega.min.js and read by usrussia/charts.js as window.vega.
//
// To let a chart use a transform left out here, import it below, add it to the registry
// and rebuild: the build lists what the runtime contains in usrussia/vendor/vega-runtime.json,
// which the book build and tests/test_charts.py check every chart against.
import {extend} from 'vega-util';
import {transforms} from 'vega-dataflow';
// Each transform from its own module (the packages ship their sources beside their
// bundles), so that the bundle holds only these.
// Operators the Vega parser adds to every chart (vega-parser's transform('...') list):
import aggregate from './node_modules/vega-transforms/src/Aggregate.js';
import collect from './node_modules/vega-transforms/src/Collect.js';
import compare from './node_modules/vega-transforms/src/Compare.js';
import expression from './node_modules/vega-transforms/src/Expression.js';
import extent from './node_modules/vega-transforms/src/Extent.js';
import facet from './node_modules/vega-transforms/src/Facet.js';
import field from './node_modules/vega-transforms/src/Field.js';
import key from './node_modules/vega-transforms/src/Key.js';
import load from './node_modules/vega-transforms/src/Load.js';
import multiextent from './node_modules/vega-transforms/src/MultiExtent.js';
import multivalues from './node_modules/vega-transforms/src/MultiValues.js';
import params from './node_modules/vega-transforms/src/Params.js';
import prefacet from './node_modules/vega-transforms/src/PreFacet.js';
import proxy from './node_modules/vega-transforms/src/Proxy.js';
import relay from './node_modules/vega-transforms/src/Relay.js';
import sieve from './node_modules/vega-transforms/src/Sieve.js';
import subflow from './node_modules/vega-transforms/src/Subflow.js';
import tupleindex from './node_modules/vega-transforms/src/TupleIndex.js';
import values from './node_modules/vega-transforms/src/Values.js';
import axisticks from './node_modules/vega-encode/src/AxisTicks.js';
import datajoin from './node_modules/vega-encode/src/DataJoin.js';
import encode from './node_modules/vega-encode/src/Encode.js';
import legendentries from './node_modules/vega-encode/src/LegendEntries.js';
import scale from './node_modules/vega-encode/src/Scale.js';
import sortitems from './node_modules/vega-encode/src/SortItems.js';
import {bound, identifier, mark, overlap, render, viewlayout} from 'vega-view-transforms';
// Transforms the book's specs name themselves (Vega-Lite compiles to these):
import filter from './node_modules/vega-transforms/src/Filter.js';
import formula from './node_modules/vega-transforms/src/Formula.js';
import stack from './node_modules/vega-encode/src/Stack.js';
import {codeGenerator, functionContext} from 'vega-functions';
import {formats} from 'vega-loader';
import vegaPackage from './node_modules/vega/package.json';

extend(transforms, {
  aggregate, collect, compare, expression, extent, facet, field, key, load, multiextent,
  multivalues, params, prefacet, proxy, relay, sieve, subflow, tupleindex, values,
  filter, formula,
  axisticks, datajoin, encode, legendentries, scale, sortitems, stack,
  bound, identifier, mark, overlap, render, viewlayout
});

// No maps: the geographic expression functions and the TopoJSON format are left out
// (their d3-geo and topojson-client code is replaced by stand-ins, see rollup.config.mjs).
for (const name of ['geoArea', 'geoBounds', 'geoCentroid', 'geoShape', 'geoScale']) {
  delete functionContext[name];
  delete codeGenerator.functions[name];
}
formats('topojson', null);

export const version = vegaPackage.version;
// What the runtime contains, for the manifest (build.mjs) and for checking in a browser.
export const expressionFunctionNames = () => Object.keys(codeGenerator.functions);
export {transforms};
export {View} from 'vega-view';
export {parse} from 'vega-parser';
export {interpolate, scale, scheme} from 'vega-scale';
export {Marks, pathCurves, renderModule} from 'vega-scenegraph';
export {formats};
