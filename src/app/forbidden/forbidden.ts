import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-forbidden',
  template: `<h1>Forbidden</h1>
    <p data-testid="forbidden">You are signed in, but your token lacks a scope or claim this page requires.</p>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Forbidden {}
