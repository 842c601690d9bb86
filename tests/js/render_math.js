// Typesets each TeX string of a JSON list (stdin) with MathJax 3 and with KaTeX, strictly:
// an undefined macro or a TeX error is reported, not drawn in red. Prints a JSON list of
// {index, engine, error} for every failure. Needs the npm packages mathjax-full@3 and katex
// (found through NODE_PATH).
const katex = require('katex');
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
require('mathjax-full/js/input/tex/base/BaseConfiguration.js');
require('mathjax-full/js/input/tex/ams/AmsConfiguration.js');
require('mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js');

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({packages: ['base', 'ams', 'newcommand'],
                     formatError: (jax, err) => { throw err; }});
const doc = mathjax.document('', {InputJax: tex, OutputJax: new SVG({fontCache: 'none'})});

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const failures = [];
input.forEach((text, index) => {
  try {
    doc.convert(text, {display: true});
  } catch (err) {
    failures.push({index, engine: 'mathjax3', error: String(err.message || err)});
  }
  try {
    katex.renderToString(text, {displayMode: true, throwOnError: true, strict: 'error'});
  } catch (err) {
    failures.push({index, engine: 'katex', error: String(err.message || err)});
  }
});
process.stdout.write(JSON.stringify(failures));
