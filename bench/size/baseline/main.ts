/*
 * Size bench, baseline: the app without ngx-implicit-auth. Keep it line for line identical to
 * ../library/main.ts except for the lines that use the library.
 */
import { provideHttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideRouter, RouterLink, RouterOutlet, type Routes } from '@angular/router';
import { Home, Messages } from '../shared/pages';

const routes: Routes = [
  { path: '', component: Home },
  { path: 'messages', component: Messages },
  { path: '**', redirectTo: '' },
];

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink],
  template: `<nav><a routerLink="/">Home</a> <a routerLink="/messages">Messages</a></nav>
    <router-outlet />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class App {}

bootstrapApplication(App, {
  providers: [provideZonelessChangeDetection(), provideRouter(routes), provideHttpClient()],
}).catch((error: unknown) => console.error(error));
