// jsdom lacks WebCrypto's `subtle`, `structuredClone` and a few Web APIs Node has; expose Node's own
// implementations so specs verify real signatures instead of mocking them away.
const { webcrypto } = require('node:crypto');
const { TextEncoder, TextDecoder } = require('node:util');
const JsdomEnvironment =
  require('jest-preset-angular/environments/jest-jsdom-env').default ??
  require('jest-preset-angular/environments/jest-jsdom-env');

class ImplicitAuthTestEnvironment extends JsdomEnvironment {
  async setup() {
    await super.setup();
    const g = this.global;
    Object.defineProperty(g, 'crypto', { value: webcrypto, configurable: true });
    g.structuredClone = structuredClone;
    g.TextEncoder = TextEncoder;
    g.TextDecoder = TextDecoder;
    g.Uint8Array = Uint8Array;
    g.ArrayBuffer = ArrayBuffer;
    g.Response = Response;
    g.Request = Request;
    g.Headers = Headers;
  }
}

module.exports = ImplicitAuthTestEnvironment;

// Node's BroadcastChannel (jsdom has none), so cross-tab specs exchange real messages between two channels.
// Specs must close every channel they open (an open one keeps the worker alive) and use unique names.
const setupWithoutBroadcastChannel = ImplicitAuthTestEnvironment.prototype.setup;
ImplicitAuthTestEnvironment.prototype.setup = async function setup() {
  await setupWithoutBroadcastChannel.call(this);
  this.global.BroadcastChannel = BroadcastChannel;
};
