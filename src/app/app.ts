import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ImplicitAuthService } from 'ngx-implicit-auth';

/** The shell: who is signed in, the last error, and the sign-in / sign-out / renew buttons. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly auth = inject(ImplicitAuthService);
  protected readonly userName = computed(() => {
    const claims = this.auth.claims();
    return claims?.name ?? claims?.sub ?? '';
  });
  /**
   * The provider's own error code for a provider error (e.g. `access_denied`), else the library's code: a
   * `third_party_cookies_blocked` carries the provider's `login_required` too, and must show as itself.
   */
  protected readonly errorCode = computed(() => {
    const error = this.auth.error();
    if (!error) return '';
    return error.code === 'provider_error' ? (error.error ?? error.code) : error.code;
  });
  protected readonly busy = signal(false);

  protected signIn(): void {
    // Errors (unreachable provider, …) land in `auth.error()`, shown in the status bar.
    this.auth.login().catch(() => undefined);
  }

  protected signOut(): void {
    this.auth.logout().catch(() => undefined);
  }

  protected renew(): void {
    this.busy.set(true);
    // User Timing marks, for profiling (and `npm run bench`): how long one renewal takes, UI aside.
    performance.mark('demo:renew:start');
    this.auth
      .renew()
      .catch(() => undefined)
      .finally(() => {
        performance.measure('demo:renew', 'demo:renew:start');
        this.busy.set(false);
      });
  }
}
