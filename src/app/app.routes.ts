import type { Routes } from '@angular/router';
import { Home } from './home/home';

export const routes: Routes = [
  { path: '', component: Home, title: 'ngx-implicit-auth demo' },
  { path: 'profile', loadComponent: () => import('./profile/profile').then((m) => m.Profile), title: 'Profile' },
  { path: 'forbidden', loadComponent: () => import('./forbidden/forbidden').then((m) => m.Forbidden) },
  { path: '**', redirectTo: '' },
];
