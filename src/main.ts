import { bootstrapApplication } from '@angular/platform-browser';
import { isImplicitAuthError } from 'ngx-implicit-auth';
import { App } from './app/app';
import { createAppConfig, type DemoAuthConfig } from './app/app.config';

/**
 * The demo reads its settings at start-up from `auth.config.json`, served beside the app, so one build runs
 * against the local provider, an Auth0 tenant or any OpenID provider.
 */
async function loadAuthConfig(): Promise<DemoAuthConfig> {
  const response = await fetch('auth.config.json', { cache: 'no-store' });
  if (!response.ok) throw new StartupError('config_unreachable', `auth.config.json: HTTP ${response.status}`);
  try {
    return (await response.json()) as DemoAuthConfig;
  } catch (error: unknown) {
    // A syntax error in the file is the user's to fix: say which file and why, not a stack trace.
    throw new StartupError('invalid_config', `auth.config.json is not valid JSON (${String(error)})`);
  }
}

class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A plain error page: the app could not start, so Angular cannot render one. Text only, never HTML. */
function showStartupError(error: unknown): void {
  const code =
    error instanceof StartupError || isImplicitAuthError(error)
      ? error.code
      : error instanceof TypeError
        ? 'config_unreachable'
        : 'startup_failed';
  const message = error instanceof Error ? error.message : String(error);
  const page = document.createElement('main');
  page.className = 'startup-error';
  const add = (tag: string, text: string, testId?: string) => {
    const element = page.appendChild(document.createElement(tag));
    element.textContent = text;
    if (testId) element.dataset['testid'] = testId;
  };
  add('h1', 'The demo could not start');
  add('p', 'signed-out', 'auth-status');
  add('p', code, 'auth-error');
  add('pre', message, 'startup-error-message');
  add('p', 'Check auth.config.json (see README.md, "Configuration").');
  document.body.replaceChildren(page);
}

loadAuthConfig()
  .then((authConfig) => bootstrapApplication(App, createAppConfig(authConfig)))
  .catch(showStartupError);
