/**
 * @jest-environment node
 */
import type { logging } from '@angular-devkit/core';
import { SchematicTestRunner, type UnitTestTree } from '@angular-devkit/schematics/testing';
import { join } from 'node:path';
import type { NgAddOptions } from './schema';

// The devkit's package-manager task (never run here) loads ora, which is ESM only and which jest cannot require.
jest.mock('ora', () => ({ __esModule: true, default: () => ({}) }));

const runner = new SchematicTestRunner('ngx-implicit-auth', join(__dirname, '..', 'collection.json'));

const OPTIONS: NgAddOptions = {
  issuer: 'https://idp.example/',
  clientId: 'spa-client',
  apis: 'https://api.example/v1, https://other.example',
};

/** A fresh workspace with one application, as `ng new` makes it. */
async function createApp(standalone: boolean): Promise<UnitTestTree> {
  const workspace = await runner.runExternalSchematic('@schematics/angular', 'workspace', {
    name: 'workspace',
    newProjectRoot: 'projects',
    version: '21.2.24',
  });
  return runner.runExternalSchematic('@schematics/angular', 'application', { name: 'app', standalone }, workspace);
}

function buildAssets(tree: UnitTestTree): unknown[] {
  return JSON.parse(tree.readContent('/angular.json')).projects.app.architect.build.options.assets;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('ng add ngx-implicit-auth', () => {
  describe('in a standalone app', () => {
    const appConfig = '/projects/app/src/app/app.config.ts';

    it('provides the library with the config and HttpClient with the functional interceptor', async () => {
      const tree = await runner.runSchematic('ng-add', OPTIONS, await createApp(true));
      const code = tree.readContent(appConfig);

      expect(code).toContain(
        "provideImplicitAuth({ issuer: 'https://idp.example/', clientId: 'spa-client', " +
          "apis: [{ url: 'https://api.example/v1' }, { url: 'https://other.example' }] }, withSilentRenew(), withTabSync())",
      );
      expect(code).toContain('provideHttpClient(withInterceptors([implicitAuthInterceptor]))');
      expect(code).toContain(
        "import { provideImplicitAuth, withSilentRenew, withTabSync, implicitAuthInterceptor } from 'ngx-implicit-auth';",
      );
      expect(code).toContain("import { provideHttpClient, withInterceptors } from '@angular/common/http';");
    });

    it('serves the silent-callback page from the package', async () => {
      const tree = await runner.runSchematic('ng-add', OPTIONS, await createApp(true));

      expect(buildAssets(tree)).toContainEqual({
        glob: 'silent-callback.html',
        input: 'node_modules/ngx-implicit-auth/silent-callback',
        output: '/',
      });
    });

    it('writes the audience when one is given', async () => {
      const tree = await runner.runSchematic(
        'ng-add',
        { ...OPTIONS, audience: 'https://api.example' },
        await createApp(true),
      );

      expect(tree.readContent(appConfig)).toContain("clientId: 'spa-client', audience: 'https://api.example', apis:");
    });

    it('adds the interceptor to an existing provideHttpClient call instead of a second one', async () => {
      const app = await createApp(true);
      app.overwrite(
        appConfig,
        app
          .readContent(appConfig)
          .replace('providers: [', 'providers: [provideHttpClient(withFetch()), ')
          .replace(/^/, "import { provideHttpClient, withFetch } from '@angular/common/http';\n"),
      );
      const code = (await runner.runSchematic('ng-add', OPTIONS, app)).readContent(appConfig);

      expect(count(code, 'provideHttpClient(')).toBe(1);
      expect(code).toContain('provideHttpClient(withFetch(), withInterceptors([implicitAuthInterceptor]))');
      expect(code).toContain("import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';");
    });

    it('appends the interceptor to an existing withInterceptors list', async () => {
      const app = await createApp(true);
      app.overwrite(
        appConfig,
        app
          .readContent(appConfig)
          .replace('providers: [', 'providers: [provideHttpClient(withInterceptors([logging])), ')
          .replace(
            /^/,
            "import { provideHttpClient, withInterceptors } from '@angular/common/http';\n" +
              "import { logging } from './logging';\n",
          ),
      );
      const code = (await runner.runSchematic('ng-add', OPTIONS, app)).readContent(appConfig);

      expect(code).toContain('provideHttpClient(withInterceptors([logging, implicitAuthInterceptor]))');
    });

    it('changes nothing when run a second time', async () => {
      const once = await runner.runSchematic('ng-add', OPTIONS, await createApp(true));
      const before = { config: once.readContent(appConfig), workspace: once.readContent('/angular.json') };
      const twice = await runner.runSchematic('ng-add', { ...OPTIONS, clientId: 'another-client' }, once);

      expect(twice.readContent(appConfig)).toBe(before.config);
      expect(twice.readContent('/angular.json')).toBe(before.workspace);
    });
  });

  describe('in an NgModule app', () => {
    const appModule = '/projects/app/src/app/app-module.ts';

    it('imports ImplicitAuthModule.forRoot and lets HttpClient run DI interceptors', async () => {
      const tree = await runner.runSchematic('ng-add', OPTIONS, await createApp(false));
      const code = tree.readContent(appModule);

      expect(code).toContain("ImplicitAuthModule.forRoot({ issuer: 'https://idp.example/', clientId: 'spa-client'");
      expect(code).toMatch(/imports: \[[^\]]*ImplicitAuthModule\.forRoot\(/);
      expect(code).toContain('provideHttpClient(withInterceptorsFromDi())');
      expect(code).toContain("import { ImplicitAuthModule, withSilentRenew, withTabSync } from 'ngx-implicit-auth';");
      expect(buildAssets(tree)).toContainEqual(expect.objectContaining({ glob: 'silent-callback.html' }));
    });

    it('keeps HttpClientModule, which already runs DI interceptors', async () => {
      const app = await createApp(false);
      app.overwrite(
        appModule,
        app
          .readContent(appModule)
          .replace('imports: [', 'imports: [HttpClientModule, ')
          .replace(/^/, "import { HttpClientModule } from '@angular/common/http';\n"),
      );
      const code = (await runner.runSchematic('ng-add', OPTIONS, app)).readContent(appModule);

      expect(code).not.toContain('provideHttpClient');
      expect(code).toContain('imports: [HttpClientModule, ');
    });

    it('adds withInterceptorsFromDi() to an existing provideHttpClient call', async () => {
      const app = await createApp(false);
      app.overwrite(
        appModule,
        app
          .readContent(appModule)
          .replace('providers: [', 'providers: [provideHttpClient(), ')
          .replace(/^/, "import { provideHttpClient } from '@angular/common/http';\n"),
      );
      const code = (await runner.runSchematic('ng-add', OPTIONS, app)).readContent(appModule);

      expect(count(code, 'provideHttpClient(')).toBe(1);
      expect(code).toContain('provideHttpClient(withInterceptorsFromDi())');
    });

    it('changes nothing when run a second time', async () => {
      const once = await runner.runSchematic('ng-add', OPTIONS, await createApp(false));
      const before = once.readContent(appModule);
      const twice = await runner.runSchematic('ng-add', OPTIONS, once);

      expect(twice.readContent(appModule)).toBe(before);
      expect(buildAssets(twice).filter((asset) => JSON.stringify(asset).includes('silent-callback'))).toHaveLength(1);
    });
  });

  describe('answers', () => {
    it('prints the two redirect URIs to register', async () => {
      const messages: string[] = [];
      const subscription = runner.logger.subscribe((entry: logging.LogEntry) => messages.push(entry.message));
      await runner.runSchematic('ng-add', OPTIONS, await createApp(true));
      subscription.unsubscribe();

      const output = messages.join('\n');
      expect(output).toContain('http://localhost:4200/\n');
      expect(output).toContain('http://localhost:4200/silent-callback.html');
    });

    it.each([
      ['an issuer on plain http off loopback', { issuer: 'http://idp.example/' }, /issuer must be https/],
      ['an issuer that is no URL', { issuer: 'idp.example' }, /issuer must be an absolute URL/],
      ['an API on plain http off loopback', { apis: 'http://api.example' }, /apis\[0\]\.url must be https/],
      ['an API URL with a query', { apis: 'https://api.example/?v=1' }, /apis\[0\]\.url must have no query/],
      ['an empty client id', { clientId: '  ' }, /clientId is required/],
    ])('refuses %s', async (_case, change, message) => {
      const app = await createApp(true);

      await expect(runner.runSchematic('ng-add', { ...OPTIONS, ...change }, app)).rejects.toThrow(message);
    });

    it('accepts plain http on loopback, for development against a local provider', async () => {
      const options = { ...OPTIONS, issuer: 'http://localhost:4400', apis: 'http://127.0.0.1:4401/api' };
      const tree = await runner.runSchematic('ng-add', options, await createApp(true));

      expect(tree.readContent('/projects/app/src/app/app.config.ts')).toContain("issuer: 'http://localhost:4400'");
    });
  });
});
