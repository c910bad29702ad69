import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ImplicitAuthError } from './errors';
import { ImplicitAuthService } from './implicit-auth.service';
import { provideImplicitAuth } from './provide-implicit-auth';
import { withGuardOptions } from './router/guard-options';

describe('provideImplicitAuth', () => {
  const config = { issuer: 'https://idp.example', clientId: 'spa' };

  afterEach(() => TestBed.resetTestingModule());

  it('provides the service once, at the root', () => {
    TestBed.configureTestingModule({ providers: [provideImplicitAuth(config)] });
    expect(TestBed.inject(ImplicitAuthService)).toBeDefined();
  });

  it('refuses to be provided a second time below the root (e.g. in a lazy route), naming the mistake', () => {
    TestBed.configureTestingModule({ providers: [provideImplicitAuth(config)] });
    const root = TestBed.inject(EnvironmentInjector);
    let thrown: unknown;
    try {
      createEnvironmentInjector([provideImplicitAuth(config)], root);
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImplicitAuthError);
    expect(thrown).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/used twice/) });
  });

  it('refuses a feature given twice with a typed error', () => {
    const twice = () => provideImplicitAuth(config, withGuardOptions({}), withGuardOptions({ errorRoute: '/' }));
    expect(twice).toThrow(ImplicitAuthError);
    expect(twice).toThrow(/'guard-options' feature was given twice/);
  });

  it('builds opaque features: only the library reads their members', () => {
    const feature = withGuardOptions({ signInRoute: '/sign-in' });
    expect(Object.keys(feature).every((key) => key.startsWith('ɵ'))).toBe(true);
  });
});
