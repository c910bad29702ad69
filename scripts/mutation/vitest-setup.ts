// The specs are written for jest: `jest.fn()`, `jest.spyOn()` and fake timers have the same shape in vitest.
import { TextDecoder, TextEncoder } from 'node:util';
import { vi } from 'vitest';

(globalThis as unknown as { jest: typeof vi }).jest = vi;

// Under jsdom, vitest exposes jsdom's own `Uint8Array` and `ArrayBuffer`: the bytes Node's TextEncoder and WebCrypto
// produce are then not `instanceof Uint8Array`, and jose refuses them. Node's own, as the project's jest environment
// does (scripts/jest-environment.cjs). In the Node environment this changes nothing.
const NodeUint8Array = Object.getPrototypeOf(Buffer.prototype).constructor as typeof Uint8Array;
Object.assign(globalThis, {
  Uint8Array: NodeUint8Array,
  ArrayBuffer: new NodeUint8Array(0).buffer.constructor,
  TextEncoder,
  TextDecoder,
});
