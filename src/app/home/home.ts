import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ImplicitAuthService } from 'ngx-implicit-auth';
import { ApiConsole } from '../api-console/api-console';

@Component({
  selector: 'app-home',
  imports: [ApiConsole],
  template: `
    <h1>Implicit flow, done safely</h1>
    <p>
      Sign in at the provider, then call the demo API. Only the configured API origins receive the access token; try
      another URL to see that no <code>Authorization</code> header is sent there.
    </p>
    @if (auth.isAuthenticated()) {
      <p>
        Signed in as <strong>{{ auth.claims()?.name ?? auth.claims()?.sub }}</strong>.
      </p>
    }
    <app-api-console />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {
  protected readonly auth = inject(ImplicitAuthService);
}
