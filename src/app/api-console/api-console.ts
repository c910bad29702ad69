import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, DOCUMENT, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { isImplicitAuthError } from 'ngx-implicit-auth';
import { firstValueFrom } from 'rxjs';

/**
 * Test-only hook, used by the load e2e spec (`e2e/specs/load.e2e.mjs`): fires `count` concurrent `HttpClient` GETs
 * of `url` through the app's interceptor and resolves with each one's status (0: not sent or no answer). Nothing
 * in the demo's UI uses it.
 */
export interface DemoLoadHook {
  ngxDemoConcurrentGets?: (url: string, count: number) => Promise<number[]>;
}

/**
 * Calls any URL with `HttpClient.get` and shows the status and body, so a person can see which calls carry
 * the access token (the demo API echoes nothing secret; a lookalike origin gets no token at all).
 */
@Component({
  selector: 'app-api-console',
  imports: [FormsModule],
  templateUrl: './api-console.html',
  styleUrl: './api-console.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiConsole {
  private readonly http = inject(HttpClient);
  protected url = 'http://localhost:4401/api/messages';
  /** An `Authorization` value the caller sets itself: the interceptor must leave it alone. */
  protected authorization = '';
  protected readonly result = signal('');
  protected readonly pending = signal(false);

  constructor() {
    const window = inject(DOCUMENT).defaultView as (Window & DemoLoadHook) | null;
    if (!window) return;
    window.ngxDemoConcurrentGets = (url, count) =>
      Promise.all(
        Array.from({ length: count }, () =>
          firstValueFrom(this.http.get(url, { observe: 'response', responseType: 'text' })).then(
            (response) => response.status,
            // A failed call counts with its status; the spec reads what the API received for the rest.
            (error: unknown) => (error instanceof HttpErrorResponse ? error.status : 0),
          ),
        ),
      );
    inject(DestroyRef).onDestroy(() => delete window.ngxDemoConcurrentGets);
  }

  protected call(): void {
    this.result.set('');
    this.pending.set(true);
    const headers = this.authorization ? new HttpHeaders({ Authorization: this.authorization }) : undefined;
    this.http.get(this.url, { headers, observe: 'response', responseType: 'text' }).subscribe({
      next: (response) => this.show(`${response.status} ${response.body ?? ''}`),
      error: (error: unknown) => this.show(describe(error)),
    });
  }

  private show(text: string): void {
    this.pending.set(false);
    this.result.set(text);
  }
}

function describe(error: unknown): string {
  // The interceptor fails a request it could not get a token for, without sending it.
  if (error instanceof HttpErrorResponse && isImplicitAuthError(error.error)) {
    return `no request sent: ${error.error.code} (${error.error.message})`;
  }
  if (error instanceof HttpErrorResponse) {
    const challenge = error.headers.get('WWW-Authenticate');
    const body = typeof error.error === 'string' ? error.error : (error.message ?? '');
    return `${error.status} ${body}${challenge ? `\nWWW-Authenticate: ${challenge}` : ''}`;
  }
  return `error: ${String(error)}`;
}
