// `npm run build` (or `make vega-runtime` from the repository root): bundles the slim Vega
// runtime with rollup (rollup.config.mjs), then loads the bundle and writes what it
// contains to usrussia/vendor/vega-runtime.json, which the book build and the tests check
// every chart's Vega spec against.
import {createHash} from 'node:crypto';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {runInNewContext} from 'node:vm';
import {rollup} from 'rollup';
import config from './rollup.config.mjs';

const VENDOR = '../../usrussia/vendor';
const bundle = await rollup(config);
await bundle.write(config.output);
await bundle.close();

const code = readFileSync(`${VENDOR}/vega.min.js`, 'utf8');
const sandbox = {console};
sandbox.window = sandbox.self = sandbox.globalThis = sandbox;
runInNewContext(code, sandbox);
const vega = sandbox.vega;

// Every scale type, data format and renderer full Vega has; the manifest keeps those present.
const SCALE_TYPES = [
  'identity', 'linear', 'log', 'pow', 'sqrt', 'symlog', 'time', 'utc', 'sequential',
  'diverging', 'quantile', 'quantize', 'threshold', 'ordinal', 'band', 'point', 'bin-ordinal',
];
const FORMATS = ['json', 'csv', 'tsv', 'dsv', 'topojson'];
const INTERPOLATORS = [
  'rgb', 'hsl', 'hsl-long', 'lab', 'hcl', 'hcl-long', 'cubehelix', 'cubehelix-long',
];
// Every colour scheme and line interpolation full Vega has, read from the sources as npm
// ships them (rollup.config.mjs edits them on the way into the bundle).
const namesIn = (file, first, last) => {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(first);
  const block = text.slice(start, text.indexOf(last, start));
  if (start < 0 || !block) throw new Error(`${file}: ${first} not found`);
  return [...block.matchAll(/^ {2}'?([\w-]+)'?: /gm)].map((m) => m[1]);
};
const SCHEMES = [
  ...namesIn('node_modules/vega-scale/build/vega-scale.js', 'const continuous = {', '\n};'),
  ...namesIn('node_modules/vega-scale/build/vega-scale.js', 'const discrete = {', '\n};'),
].map((name) => name.toLowerCase());
const CURVES = namesIn('node_modules/vega-scenegraph/build/vega-scenegraph.js', 'const lookup = {', '\n};');
if (SCHEMES.length < 40 || CURVES.length < 15) throw new Error('scheme or curve names not read');
const RENDERERS = ['svg', 'canvas', 'png', 'hybrid', 'none'];

const packages = JSON.parse(readFileSync(`${VENDOR}/vega-runtime-packages.json`, 'utf8'));
rmSync(`${VENDOR}/vega-runtime-packages.json`);
const manifest = {
  description:
    "What usrussia/vendor/vega.min.js (the book's slim Vega runtime) contains. Written by " +
    'tools/vega-runtime (make vega-runtime); the book build and tests/test_charts.py check ' +
    'every chart against it.',
  vega: vega.version,
  sha256: createHash('sha256').update(code).digest('hex'),
  bytes: Buffer.byteLength(code),
  renderers: RENDERERS.filter((r) => vega.renderModule(r) && vega.renderModule(r).renderer),
  marks: Object.keys(vega.Marks).sort(),
  transforms: Object.keys(vega.transforms).sort(),
  scales: SCALE_TYPES.filter((t) => vega.scale(t)),
  formats: FORMATS.filter((f) => vega.formats(f)),
  schemes: SCHEMES.filter((s) => vega.scheme(s)).sort(),
  curves: CURVES.filter((c) => vega.pathCurves(c)),
  interpolators: INTERPOLATORS.filter((i) => vega.interpolate(i)),
  functions: vega.expressionFunctionNames().sort(),
  packages,
};
writeFileSync(`${VENDOR}/vega-runtime.json`, JSON.stringify(manifest, null, 1) + '\n');
console.log(
  `${VENDOR}/vega.min.js: ${manifest.bytes} bytes, Vega ${manifest.vega}; ` +
    `${manifest.transforms.length} transforms, ${manifest.functions.length} functions`,
);
