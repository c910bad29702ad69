// @angular/platform-server imports its bundled domino as an ES default export. jest-preset-angular turns .mjs files
// into CommonJS with Node's interop (module.exports is the default), so domino's transformed `exports.default` would
// arrive one level too deep: hand platform-server the default itself.
const path = require('node:path');

module.exports = require(
  path.join(__dirname, '../node_modules/@angular/platform-server/third_party/domino/bundled-domino.mjs'),
).default;
