import { chain, type Rule, type SchematicContext, SchematicsException, type Tree } from '@angular-devkit/schematics';
import { addRootImport, addRootProvider, readWorkspace, type WorkspaceDefinition } from '@schematics/angular/utility';
import { getAppModulePath, isStandaloneApp } from '@schematics/angular/utility/ng-ast-utils';
import { findAppConfig } from '@schematics/angular/utility/standalone/app_config';
import {
  findBootstrapApplicationCall,
  getMainFilePath,
  getSourceFile,
} from '@schematics/angular/utility/standalone/util';
import ts from '@schematics/angular/third_party/github.com/Microsoft/TypeScript/lib/typescript';
import { addFunctionalInterceptor, enableInterceptorsFromDi, findCalls, PACKAGE_NAME } from './http-client-setup';
import { configToCode, type NgAddConfig, parseNgAddOptions } from './parse-ng-add-options';
import type { NgAddOptions } from './schema';
import { addSilentCallbackAsset, SILENT_CALLBACK_ASSET } from './silent-callback-asset';

/**
 * `ng add ngx-implicit-auth`: provides the library with the given config, makes HttpClient run its interceptor and
 * serves the silent-callback page, in a standalone or an NgModule app. Running it again changes nothing.
 */
export function ngAdd(options: NgAddOptions): Rule {
  return async (tree: Tree) => {
    const config = parseNgAddOptions(options);
    const workspace = await readWorkspace(tree);
    const project = chooseProject(workspace, options.project);
    const mainFilePath = await getMainFilePath(tree, project);
    const configCode = configToCode(config);
    return chain([
      isStandaloneApp(tree, mainFilePath)
        ? setUpStandaloneApp(project, mainFilePath, configCode)
        : setUpNgModuleApp(project, mainFilePath, configCode),
      addSilentCallbackAsset(project),
      logNextSteps(workspace, project, config),
    ]);
  };
}

/** `provideImplicitAuth(config)` and the functional interceptor, in the app config (or `main.ts` without one). */
function setUpStandaloneApp(project: string, mainFilePath: string, configCode: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const bootstrapCall = findBootstrapApplicationCall(tree, mainFilePath);
    const file = findAppConfig(bootstrapCall, tree, mainFilePath)?.filePath ?? mainFilePath;
    const rules: Rule[] = [];
    if (findCalls(getSourceFile(tree, file), 'provideImplicitAuth').length > 0) {
      context.logger.info(`${file} already calls provideImplicitAuth(...): its config is left as it is.`);
    } else {
      rules.push(
        addRootProvider(
          project,
          ({ code, external }) =>
            code`${external('provideImplicitAuth', PACKAGE_NAME)}(${configCode}, ${external('withSilentRenew', PACKAGE_NAME)}(), ${external('withTabSync', PACKAGE_NAME)}())`,
        ),
      );
    }
    rules.push(addFunctionalInterceptor(project, file));
    return chain(rules);
  };
}

/** `ImplicitAuthModule.forRoot(config)` in the root module's imports, and HttpClient running DI interceptors. */
function setUpNgModuleApp(project: string, mainFilePath: string, configCode: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const modulePath = getAppModulePath(tree, mainFilePath);
    const rules: Rule[] = [];
    if (findForRootCalls(getSourceFile(tree, modulePath)).length > 0) {
      context.logger.info(
        `${modulePath} already imports ImplicitAuthModule.forRoot(...): its config is left as it is.`,
      );
    } else {
      rules.push(
        addRootImport(
          project,
          ({ code, external }) =>
            code`${external('ImplicitAuthModule', PACKAGE_NAME)}.forRoot(${configCode}, ${external('withSilentRenew', PACKAGE_NAME)}(), ${external('withTabSync', PACKAGE_NAME)}())`,
        ),
      );
    }
    rules.push(enableInterceptorsFromDi(project, modulePath));
    return chain(rules);
  };
}

function findForRootCalls(source: ts.SourceFile): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'ImplicitAuthModule' &&
      node.expression.name.text === 'forRoot'
    ) {
      calls.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** The named project, else the workspace's only application. */
function chooseProject(workspace: WorkspaceDefinition, name: string | undefined): string {
  const applications = [...workspace.projects].filter(
    ([, project]) => project.extensions['projectType'] === 'application',
  );
  if (name !== undefined) {
    if (!applications.some(([candidate]) => candidate === name)) {
      throw new SchematicsException(`"${name}" is not an application of this workspace.`);
    }
    return name;
  }
  if (applications.length !== 1) {
    throw new SchematicsException(
      `This workspace has ${applications.length} applications: choose one with --project (${applications.map(([candidate]) => candidate).join(', ')}).`,
    );
  }
  return applications[0][0];
}

/** The redirect URIs to register (the provider refuses any other), for `ng serve` and for production. */
function logNextSteps(workspace: WorkspaceDefinition, project: string, config: NgAddConfig): Rule {
  return (_tree: Tree, context: SchematicContext) => {
    const port = workspace.projects.get(project)?.targets.get('serve')?.options?.['port'] ?? 4200;
    const page = SILENT_CALLBACK_ASSET.glob;
    context.logger.info(
      [
        '',
        `ngx-implicit-auth is set up in "${project}". Next steps:`,
        `  1. At ${config.issuer}, allow the implicit grant for client "${config.clientId}" and register these two redirect URIs:`,
        `       http://localhost:${port}/`,
        `       http://localhost:${port}/${page}`,
        `     and the same two on your production origin (https://your-app.example/ and https://your-app.example/${page}).`,
        '  2. Sign users in with inject(ImplicitAuthService).login(), and guard routes with canActivate: [authGuard].',
        '',
      ].join('\n'),
    );
  };
}
