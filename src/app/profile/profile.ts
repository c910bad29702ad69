import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import { ImplicitAuthService } from 'ngx-implicit-auth';

/** A guarded page: reachable only when signed in; shows the validated ID token claims. */
@Component({
  selector: 'app-profile',
  imports: [JsonPipe],
  template: `
    <h1>Profile</h1>
    <p data-testid="profile-location">{{ location() }}</p>
    <h2>ID token claims</h2>
    <pre data-testid="claims">{{ auth.claims() | json }}</pre>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Profile {
  protected readonly auth = inject(ImplicitAuthService);
  private readonly route = inject(ActivatedRoute);

  /** Where the user landed, to show that the query and fragment survived the sign-in round trip. */
  protected location(): string {
    const snapshot = this.route.snapshot;
    const query = new URLSearchParams(snapshot.queryParams as Record<string, string>).toString();
    return `${snapshot.url.join('/')}${query ? `?${query}` : ''}${snapshot.fragment ? `#${snapshot.fragment}` : ''}`;
  }
}
