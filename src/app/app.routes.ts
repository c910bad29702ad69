import type { Routes } from '@angular/router';
import { authGuard } from 'ngx-implicit-auth';
import { Home } from './home/home';

export const routes: Routes = [
  { path: '', component: Home, title: 'ngx-implicit-auth demo' },
  {
    path: 'profile',
    canActivate: [authGuard],
    loadComponent: () => import('./profile/profile').then((m) => m.Profile),
    title: 'Profile',
  },
  {
    // Needs a scope the demo never asks for: shows the guard's "forbidden" route.
    path: 'admin',
    canActivate: [authGuard],
    data: { auth: { scopes: ['write:messages'] } },
    loadComponent: () => import('./profile/profile').then((m) => m.Profile),
    title: 'Admin',
  },
  { path: 'forbidden', loadComponent: () => import('./forbidden/forbidden').then((m) => m.Forbidden) },
  { path: '**', redirectTo: '' },
];
