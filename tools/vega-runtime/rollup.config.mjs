// Bundles usrussia/vendor/vega.min.js, the book's slim Vega runtime (see README.md), and
// writes beside it vega-runtime-licenses.txt (every npm package bundled, its version and
// licence). Run through build.mjs, which then writes vega-runtime.json from the bundle.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {nodeResolve} from '@rollup/plugin-node-resolve';
import json from '@rollup/plugin-json';
import terser from '@rollup/plugin-terser';

const VENDOR = '../../usrussia/vendor';
const vega = JSON.parse(readFileSync('node_modules/vega/package.json', 'utf8'));

// Modules replaced by a stand-in: what the book's charts never use (maps).
const STAND_INS = {
  // vega-functions' geoArea, geoBounds and geoCentroid; entry.js unregisters them.
  'd3-geo': 'stand-ins/d3-geo.js',
  // vega-loader's "topojson" data format; entry.js unregisters it.
  'topojson-client': 'stand-ins/topojson-client.js',
};

// What the book's charts use of what Vega registers by name; the edits below leave out the
// rest, and build.mjs lists what is left in vega-runtime.json, which every chart is checked
// against (usrussia/render.py, missing_from_runtime).
// Mark types (vega-scenegraph's Marks): no arc, area, image, path, shape or trail.
const MARKS = ['group', 'line', 'rect', 'rule', 'symbol', 'text'];
// Line interpolation (vega-scenegraph's curves): Vega's default and the steps.
const CURVES = {
  linear: 'curveLinear',
  step: 'curveStep',
  'step-after': 'curveStepAfter',
  'step-before': 'curveStepBefore',
};
// Expression functions (vega-functions' functionContext) left out: random sampling and
// distributions (vega-statistics), lasso selection, pinch gestures and pan/zoom helpers.
const FUNCTIONS_LEFT_OUT = [
  'cumulativeNormal', 'cumulativeLogNormal', 'cumulativeUniform', 'densityNormal',
  'densityLogNormal', 'densityUniform', 'quantileNormal', 'quantileLogNormal',
  'quantileUniform', 'sampleNormal', 'sampleLogNormal', 'sampleUniform',
  'pinchDistance', 'pinchAngle', 'panLinear', 'panLog', 'panPow', 'panSymlog', 'zoomLinear',
  'zoomLog', 'zoomPow', 'zoomSymlog', 'lassoAppend', 'lassoPath', 'intersectLasso',
];

// Exact edits to one module of the pinned versions; the build stops if a text is not found
// (a new Vega version must be looked at again, not silently built). An edit is [text,
// replacement], or [[first, last], replacement] for the text from `first` through the
// first `last` after it.
const EDITS = {
  'vega-scenegraph/build/vega-scenegraph.js': [
    // No hybrid renderer (canvas below SVG): charts.js draws SVG, and the print edition
    // and "Save as PNG" use the canvas renderer.
    [
      `modules[Hybrid] = {
  renderer: HybridRenderer,
  headless: HybridRenderer,
  handler: HybridHandler
};`,
      '',
    ],
    [['var Marks = {\n', '\n};\n'], `var Marks = {${MARKS.join(', ')}};\n`],
    // ... and the definitions of those marks (their makers are free of side effects) ...
    ...['arc', 'area', 'shape', 'trail'].map((mark) => [
      `\nvar ${mark} = mark`,
      `\nvar ${mark} = /*#__PURE__*/ mark`,
    ]),
    // ... and the path generators of those marks, made at the top level (d3-shape's arc and
    // area, vega's trail), which rollup cannot tell are free of side effects.
    [['const arcShape = arc$2()', '\n  lineShape = '], 'const lineShape = '],
    [[',\n  trailShape = vg_trail()', ';\n'], ';\n'],
    [
      ["const lookup = {\n  'basis': {", '\n};\n'],
      'const lookup = {' +
        Object.entries(CURVES).map(([k, v]) => `'${k}': {curve: ${v}}`).join(', ') +
        '};\n',
    ],
  ],
  'vega-scale/build/vega-scale.js': [
    // Scale types: linear, time, utc, ordinal, band and point only (no identity, log, pow,
    // sqrt, symlog, sequential, diverging, quantile, quantize, threshold or bin-ordinal).
    [
      ['// identity scale\nscale(Identity, $.scaleIdentity);', 'scale(Point, point, Discrete);\n'],
      [
        'scale(Linear, $.scaleLinear, Continuous);',
        'scale(Time, $.scaleTime, [Continuous, Temporal]);',
        'scale(UTC, $.scaleUtc, [Continuous, Temporal]);',
        'scale(Ordinal, $.scaleOrdinal, Discrete);',
        'scale(Band, band, Discrete);',
        'scale(Point, point, Discrete);',
        '',
      ].join('\n'),
    ],
    // Colour interpolation of continuous scales (a scale's "interpolate", and the schemes):
    // rgb and hcl only; the interpolators were looked up by name in all of d3-interpolate.
    [
      'const interp = $$1[method(type)];',
      "const interp = {rgb: $$1.interpolateRgb, hcl: $$1.interpolateHcl}[type.toLowerCase()];",
    ],
    // Named colour schemes: those Vega's default config names (ranges "category",
    // "ordinal", "ramp", "heatmap", "diverging"); the book's charts give their colours.
    [
      ['const continuous = {\n', '\n};\n'],
      "const continuous = {\n  blues: 'cfe1f2bed8eca8cee58fc1de74b2d75ba3cf4592c63181bd206fb2125ca40a4a90',\n" +
        "  blueOrange: '134b852f78b35da2cb9dcae1d2e5eff2f0ebfce0bafbbf74e8932fc5690d994a07',\n" +
        "  yellowGreenBlue: 'eff9bddbf1b4bde5b594d5b969c5be45b4c22c9ec02182b82163aa23479c1c3185'\n};\n",
    ],
    [
      ['const discrete = {\n', '\n};\n'],
      "const discrete = {\n  tableau10: '4c78a8f58518e4575672b7b254a24beeca3bb279a2ff9da69d755dbab0ac'\n};\n",
    ],
  ],
  'vega-expression/build/vega-expression.js': [
    // The expression parser's tables of the letters an identifier may hold beyond ASCII
    // (10 kB of Unicode 8 ranges) give way to the browser's own Unicode properties: for
    // code points up to U+FFFF the same but for the letters of later Unicode versions
    // (now allowed too) and U+2E2F. The book's expressions name fields as datum["..."].
    [
      ['var RegexNonAsciiIdentifierStart = new RegExp(', "]'),\n"],
      'var RegexNonAsciiIdentifierStart = /\\p{ID_Start}/u,\n',
    ],
    [
      ['  RegexNonAsciiIdentifierPart = new RegExp(', "]');\n"],
      '  RegexNonAsciiIdentifierPart = /[\\p{ID_Continue}\\u200C\\u200D]/u;\n',
    ],
  ],
  'vega-loader/build/vega-loader.browser.js': [
    // Inline JSON data only: no csv, tsv or dsv format (d3-dsv).
    ["  dsv: dsv,\n  csv: delimitedFormat(','),\n  tsv: delimitedFormat('\\t'),\n", ''],
  ],
  'vega-functions/build/vega-functions.js': FUNCTIONS_LEFT_OUT.map((name) =>
    name === 'intersectLasso' ? [',\n  intersectLasso\n}', '\n}'] : [`\n  ${name},`, ''],
  ),
};

const D3_BUILD = /node_modules\/d3-[a-z-]+\/dist\/d3-[a-z-]+\.mjs$/;
const TOP_LEVEL_CALL = /^((?:var|const|let) [\w$]+ = )(?=(?:new )?[\w$.]+\(|\(function\b)/gm;

function slim() {
  return {
    name: 'usrussia-slim-vega',
    resolveId(source) {
      if (STAND_INS[source]) return this.resolve(`./${STAND_INS[source]}`, 'entry.js');
      return null;
    },
    transform(code, id) {
      if (D3_BUILD.test(id)) {
        // d3's packages declare "sideEffects": false, but their single-file builds compute
        // colour schemes, interpolators and time intervals at the top level, e.g.
        // `var Blues = ramp(scheme)`: marking those calls pure lets rollup leave out the
        // ones nothing uses.
        return {code: code.replace(TOP_LEVEL_CALL, '$1/*#__PURE__*/ '), map: null};
      }
      for (const [suffix, edits] of Object.entries(EDITS)) {
        if (!id.endsWith(`node_modules/${suffix}`)) continue;
        for (const [from, to] of edits) {
          const [first, last] = Array.isArray(from) ? from : [from, ''];
          const start = code.indexOf(first);
          const end = last ? code.indexOf(last, start + first.length) : start;
          if (start < 0 || end < 0) {
            this.error(`${suffix}: text to edit not found:\n${first}${last ? ` … ${last}` : ''}`);
          }
          code = code.slice(0, start) + to + code.slice(end + (last || first).length);
        }
        return {code, map: null};
      }
      return null;
    },
  };
}

function packageOf(id) {
  let dir = dirname(id);
  while (dir.includes('node_modules')) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name && pkg.version) return {dir, pkg};
    } catch {}
    dir = dirname(dir);
  }
  return null;
}

// Every npm package in the bundle, with its version and licence text.
function licenses() {
  return {
    name: 'usrussia-licenses',
    generateBundle(_options, bundle) {
      const packages = new Map();
      for (const chunk of Object.values(bundle)) {
        for (const [id, module] of Object.entries(chunk.modules || {})) {
          if (!module.renderedLength || !id.includes('node_modules')) continue;
          const found = packageOf(id);
          if (found) packages.set(found.pkg.name, found);
        }
      }
      const names = [...packages.keys()].sort();
      const sections = names.map((name) => {
        const {dir, pkg} = packages.get(name);
        const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].find((f) => {
          try { readFileSync(join(dir, f)); return true; } catch { return false; }
        });
        const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
        return `${name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
      });
      this.emitFile({
        type: 'asset',
        fileName: 'vega-runtime-licenses.txt',
        source:
          `The npm packages bundled in vega.min.js (the book's slim Vega ${vega.version} runtime,\n` +
          `built by tools/vega-runtime), each with its version and licence.\n\n` +
          sections.join('\n' + '-'.repeat(78) + '\n\n'),
      });
      this.emitFile({
        type: 'asset',
        fileName: 'vega-runtime-packages.json',
        source: JSON.stringify(
          Object.fromEntries(names.map((n) => [n, packages.get(n).pkg.version])),
          null,
          2,
        ) + '\n',
      });
    },
  };
}

export default {
  input: 'entry.js',
  output: {
    dir: VENDOR,
    entryFileNames: 'vega.min.js',
    format: 'iife',
    name: 'vega',
    banner:
      `/*! The book's slim Vega runtime: Vega ${vega.version} (https://vega.github.io), ` +
      `BSD-3-Clause, Copyright (c) 2015-2023 University of Washington Interactive Data Lab; ` +
      `with d3 modules (ISC). Only what the book's charts use: see vega-runtime.json. ` +
      `Licences: vega-runtime-licenses.txt. Built by tools/vega-runtime. */`,
  },
  plugins: [
    slim(),
    nodeResolve({browser: true}),
    json(),
    terser({compress: {passes: 3}, ecma: 2020, format: {comments: /^!/}}),
    licenses(),
  ],
};
