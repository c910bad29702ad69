/*
 * Size bench, with the library: ../baseline/main.ts plus ngx-implicit-auth used the way the README tells
 * users to: `provideImplicitAuth` with `apis`, the functional interceptor, `authGuard` on a route and a
 * component reading the service's signals. Imported from the built package (see tsconfig.json).
 */
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideRouter, RouterLink, RouterOutlet, type Routes } from '@angular/router';
import { authGuard, ImplicitAuthService, implicitAuthInterceptor, provideImplicitAuth } from 'ngx-implicit-auth';
import { config, features } from './features';
import { Home, Messages } from '../shared/pages';

const routes: Routes = [
  { path: '', component: Home },
  { path: 'messages', component: Messages, canActivate: [authGuard] },
  { path: '**', redirectTo: '' },
];

@Component({
  selector: 'app-user',
  template: `@if (auth.isAuthenticated()) {
    <span>{{ auth.claims()?.name ?? auth.claims()?.sub }}</span>
  }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class User {
  protected readonly auth = inject(ImplicitAuthService);
}

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, User],
  template: `<nav><a routerLink="/">Home</a> <a routerLink="/messages">Messages</a> <app-user /></nav>
    <router-outlet />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class App {}

bootstrapApplication(App, {
  providers: [
    provideZonelessChangeDetection(),
    provideRouter(routes),
    provideHttpClient(withInterceptors([implicitAuthInterceptor])),
    provideImplicitAuth(
      config({
        issuer: 'https://idp.example.com/',
        clientId: 'size-bench',
        audience: 'https://api.example.com',
        apis: [{ url: 'https://api.example.com' }],
      }),
      // The README's quick start: `withSilentRenew()` and `withTabSync()` (see ./features.ts).
      ...features,
    ),
  ],
}).catch((error: unknown) => console.error(error));
