import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import {
  authGuard,
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_CONFIG,
  type ImplicitAuthEvent,
  ImplicitAuthError,
  ImplicitAuthService,
  isImplicitAuthError,
  withGuardOptions,
} from 'ngx-implicit-auth';
import { FakeImplicitAuthService, provideImplicitAuthTesting } from 'ngx-implicit-auth/testing';

@Component({ template: '' })
class BlankPage {}

describe('FakeImplicitAuthService', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  let fake: FakeImplicitAuthService;

  beforeEach(() => {
    now = 1_000_000;
    fake = new FakeImplicitAuthService({ clock, audience: 'api' });
  });

  it('signs in and out, in signals, observables and events', () => {
    const events: ImplicitAuthEvent['type'][] = [];
    const seen: boolean[] = [];
    fake.events.subscribe((event) => events.push(event.type));
    fake.isAuthenticated$.subscribe((value) => seen.push(value));
    fake.signIn({ name: 'Ada' });
    expect(fake.isAuthenticated()).toBe(true);
    expect(fake.status()).toBe('signed-in');
    expect(fake.claims()).toMatchObject({ name: 'Ada', sub: 'user-1' });
    fake.signOut();
    expect(fake.claims()).toBeNull();
    expect(seen).toEqual([false, true, false]);
    expect(events).toEqual(['signed_in', 'signed_out']);
  });

  it('holds whenReady() while loading', async () => {
    fake.setLoading();
    expect(fake.status()).toBe('loading');
    let ready = false;
    void fake.whenReady().then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    fake.signOut();
    await fake.whenReady();
    expect(ready).toBe(true);
  });

  it('keeps tokens per audience and never returns an expired one', () => {
    fake.setAccessToken('a', { expiresInSeconds: 60, scopes: ['read'] });
    fake.setAccessToken('b', { audience: 'other' });
    expect(fake.currentAccessToken()).toMatchObject({ token: 'a', audience: 'api', scopes: ['read'] });
    expect(fake.currentAccessToken({ audience: 'other' })?.token).toBe('b');
    now += 60_000;
    expect(fake.currentAccessToken()).toBeNull();
  });

  it('runs one renewal per audience for concurrent callers and never returns the replaced token', async () => {
    fake.signIn();
    fake.setAccessToken('old');
    let finish!: (token: string) => void;
    fake.renewWith(() => new Promise<string>((resolve) => (finish = resolve)));
    const calls = Array.from({ length: 5 }, () => fake.getAccessToken({ replacing: 'old' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    finish('new');
    expect(await Promise.all(calls)).toEqual(['new', 'new', 'new', 'new', 'new']);
    expect(fake.renewCount).toBe(1);
    expect(await fake.getAccessToken({ replacing: 'old' })).toBe('new');
    expect(fake.renewCount).toBe(1);
  });

  it('refuses a signed-out user without a renewal, as the real service does', async () => {
    await expect(fake.getAccessToken()).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(fake.renewCount).toBe(0);
    expect(fake.error()).toBeNull();
  });

  it('rejects by default and records a refused renewal as the last error', async () => {
    fake.signIn();
    await expect(fake.getAccessToken()).rejects.toBeInstanceOf(ImplicitAuthError);
    expect(isImplicitAuthError(fake.error(), 'not_authenticated')).toBe(true);
    fake.renewWith(() => 'same');
    fake.setAccessToken('same');
    await expect(fake.getAccessToken({ replacing: 'same' })).rejects.toThrow(/No valid access token/);
  });

  it('types a renewal that throws something else as the real service does', async () => {
    fake.signIn();
    fake.renewWith(() => {
      throw new TypeError('boom');
    });
    const error = await fake.renew().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect(fake.error()).toBe(error);
    expect(fake.isAuthenticated()).toBe(true);
  });

  it('drops a renewal that finishes after a sign-out', async () => {
    fake.signIn();
    let finish!: (token: string) => void;
    fake.renewWith(() => new Promise<string>((resolve) => (finish = resolve)));
    const renewal = fake.renew();
    await Promise.resolve();
    fake.signOut();
    finish('late');
    await expect(renewal).rejects.toMatchObject({ code: 'signed_out' });
    expect(fake.currentAccessToken()).toBeNull();
    expect(fake.error()).toBeNull();
  });

  it('records login and logout calls without redirecting', async () => {
    fake.signIn();
    await fake.login({ returnUrl: '/x' });
    await fake.logout({ localOnly: true });
    expect(fake.loginCalls).toEqual([{ returnUrl: '/x' }]);
    expect(fake.logoutCalls).toEqual([{ localOnly: true }]);
    expect(fake.isAuthenticated()).toBe(false);
  });
});

describe('provideImplicitAuthTesting', () => {
  it('provides the fake as ImplicitAuthService, the checked config, the clock and features', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'private', canActivate: [authGuard], component: BlankPage },
          { path: 'sign-in', component: BlankPage },
        ]),
        provideImplicitAuthTesting(
          { config: { audience: 'api', apis: [{ url: 'https://api.example' }] }, signedIn: { name: 'Ada' } },
          withGuardOptions({ signInRoute: '/sign-in' }),
        ),
        { provide: IMPLICIT_AUTH_CLOCK, useValue: { now: () => 0 } },
      ],
    });
    const fake = TestBed.inject(FakeImplicitAuthService);
    expect(TestBed.inject(ImplicitAuthService)).toBe(fake);
    expect(fake.claims()).toMatchObject({ name: 'Ada', iat: 0 });
    expect(TestBed.inject(IMPLICIT_AUTH_CONFIG)).toMatchObject({ clientId: 'test-client', audience: 'api' });
    fake.setAccessToken('t');
    expect(fake.currentAccessToken({ audience: 'api' })?.token).toBe('t');
    // The feature reaches the real guard: a signed-out user goes to the configured sign-in page.
    fake.signOut();
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/private');
    expect(router.url).toBe('/sign-in?returnUrl=%2Fprivate');
  });

  it('fails on a config the library would refuse', () => {
    TestBed.configureTestingModule({
      providers: [provideImplicitAuthTesting({ config: { apis: [{ url: 'http://api.example' }] } })],
    });
    expect(() => TestBed.inject(IMPLICIT_AUTH_CONFIG)).toThrow(/apis\[0\]\.url/);
  });
});
