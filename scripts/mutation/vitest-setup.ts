// The specs are written for jest: `jest.fn()`, `jest.spyOn()` and fake timers have the same shape in vitest.
import { vi } from 'vitest';

(globalThis as unknown as { jest: typeof vi }).jest = vi;
