/*
 * The pages both size-bench apps share, so that the two builds differ only by what the library adds. One of
 * them calls HttpClient: every app that sets up `provideHttpClient` uses it, and the library must not be
 * charged for HttpClient code the baseline would otherwise drop as unused. Likewise the home page shows a
 * signal's value under `@if`: the library app's user display does, and Angular's control-flow and text
 * binding code are every app's, not the library's.
 */
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

@Component({
  selector: 'app-home',
  template: `<h1>Home</h1>
    <p>A minimal standalone app, zoneless, with a router and HttpClient.</p>
    @if (visits()) {
      <p>{{ visits() }} visits</p>
    }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {
  protected readonly visits = signal(1);
}

@Component({
  selector: 'app-messages',
  template: `<h1>Messages</h1>
    <button type="button" (click)="load()">Load</button>
    <pre>{{ result() }}</pre>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Messages {
  private readonly http = inject(HttpClient);
  protected readonly result = signal('');

  protected load(): void {
    this.http.get<unknown>('https://api.example.com/messages').subscribe({
      next: (body) => this.result.set(JSON.stringify(body)),
      error: (error: unknown) => this.result.set(String(error)),
    });
  }
}
