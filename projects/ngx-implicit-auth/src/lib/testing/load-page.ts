import type { ProviderToken } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from '../tokens';
import { provideImplicitAuthAsSpecsDo, type SpecConfig } from './provide-as-specs-do';
import type { TestIssuer } from './test-issuer';

/**
 * One "page load" of an app using the library: a fresh TestBed (which runs the app initializer, like a real
 * bootstrap) over the current jsdom location and storage, wired to the in-memory provider `idp`, recording the
 * URLs the library leaves for in `redirects`. Resolves once start-up has finished, or at once with
 * `{ waitForStart: false }` (to act while start-up is still under way).
 */
export async function loadPage<T extends { whenReady(): Promise<void> }>(
  service: ProviderToken<T>,
  idp: TestIssuer,
  config: SpecConfig,
  redirects: string[],
  { waitForStart = true }: { readonly waitForStart?: boolean } = {},
): Promise<T> {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideImplicitAuthAsSpecsDo({ issuer: idp.issuer, clientId: idp.clientId, ...config }),
      { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
      { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
      { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
    ],
  });
  const auth = TestBed.inject(service);
  if (waitForStart) await auth.whenReady();
  return auth;
}
