import {
  type ApplicationConfig,
  ChangeDetectionStrategy,
  Component,
  inject,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideClientHydration } from '@angular/platform-browser';
import { provideRouter, RouterOutlet } from '@angular/router';
import type { ImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthService } from '../implicit-auth.service';
import { provideImplicitAuthAsSpecsDo, type SpecConfig } from './provide-as-specs-do';
import { authGuard } from '../router/auth-guard';

/*
 * A zoneless standalone app with client hydration, as the hydration spec renders it twice: once with its server
 * providers (in a module registry of its own, as a server process would load it), once in the browser.
 */

@Component({ selector: 'app-home', template: '<p id="home">Welcome</p>' })
class Home {}

@Component({ selector: 'app-secret', template: '<p id="secret">Secret content</p>' })
class Secret {}

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: `<span id="status">{{ auth.status() }}</span>
    @if (auth.status() === 'signed-out') {
      <button id="sign-in" type="button">Sign in</button>
    }
    <router-outlet />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HydratedApp {
  protected readonly auth = inject(ImplicitAuthService);
}

/** The app's own providers, shared by its server and browser builds (an Angular CLI app's `app.config.ts`). */
export function hydratedAppConfig(
  auth: SpecConfig & Pick<ImplicitAuthConfig, 'issuer' | 'clientId'>,
): ApplicationConfig {
  return {
    providers: [
      provideZonelessChangeDetection(),
      provideRouter([
        { path: '', component: Home },
        { path: 'secret', component: Secret, canActivate: [authGuard] },
      ]),
      provideClientHydration(),
      provideImplicitAuthAsSpecsDo(auth),
    ],
  };
}
