import type { Rule, SchematicContext, Tree } from '@angular-devkit/schematics';
import { addRootProvider } from '@schematics/angular/utility';
import { insertImport } from '@schematics/angular/utility/ast-utils';
import { type Change, InsertChange } from '@schematics/angular/utility/change';
import { applyChangesToFile, getSourceFile } from '@schematics/angular/utility/standalone/util';
import ts from '@schematics/angular/third_party/github.com/Microsoft/TypeScript/lib/typescript';

export const PACKAGE_NAME = 'ngx-implicit-auth';
const HTTP = '@angular/common/http';

/**
 * Standalone apps: HttpClient runs the functional `implicitAuthInterceptor`. An existing `provideHttpClient(...)` in
 * `file` (the app config) is extended, into its `withInterceptors([...])` if it has one; otherwise one is provided.
 */
export function addFunctionalInterceptor(project: string, file: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const source = getSourceFile(tree, file);
    const httpClient = findCalls(source, 'provideHttpClient')[0];
    if (!httpClient) {
      return addRootProvider(
        project,
        ({ code, external }) =>
          code`${external('provideHttpClient', HTTP)}(${external('withInterceptors', HTTP)}([${external('implicitAuthInterceptor', PACKAGE_NAME)}]))`,
      );
    }
    const changes: Change[] = [];
    const withInterceptors = httpClient.arguments.find((argument) => isCallTo(argument, 'withInterceptors'));
    if (withInterceptors) {
      const list = withInterceptors.arguments[0];
      if (!list || !ts.isArrayLiteralExpression(list)) {
        context.logger.warn(
          `${file}: withInterceptors(...) takes no array literal; add implicitAuthInterceptor to it yourself.`,
        );
        return;
      }
      if (list.elements.some((element) => ts.isIdentifier(element) && element.text === 'implicitAuthInterceptor')) {
        return;
      }
      const last = list.elements[list.elements.length - 1];
      changes.push(
        last
          ? new InsertChange(file, last.getEnd(), ', implicitAuthInterceptor')
          : new InsertChange(file, list.elements.pos, 'implicitAuthInterceptor'),
      );
    } else {
      changes.push(appendArgument(file, httpClient, 'withInterceptors([implicitAuthInterceptor])'));
      changes.push(insertImport(source, file, 'withInterceptors', HTTP));
    }
    changes.push(insertImport(source, file, 'implicitAuthInterceptor', PACKAGE_NAME));
    applyChangesToFile(tree, file, changes);
    return;
  };
}

/**
 * NgModule apps: `ImplicitAuthModule` registers the class interceptor in `HTTP_INTERCEPTORS`, which HttpClient
 * runs only with `HttpClientModule` or `provideHttpClient(withInterceptorsFromDi())`. Either is kept when present;
 * an existing `provideHttpClient(...)` gets `withInterceptorsFromDi()`; otherwise one is provided.
 */
export function enableInterceptorsFromDi(project: string, modulePath: string): Rule {
  return (tree: Tree) => {
    const source = getSourceFile(tree, modulePath);
    if (findIdentifiers(source, 'HttpClientModule').length > 0) return;
    const httpClient = findCalls(source, 'provideHttpClient')[0];
    if (!httpClient) {
      return addRootProvider(
        project,
        ({ code, external }) =>
          code`${external('provideHttpClient', HTTP)}(${external('withInterceptorsFromDi', HTTP)}())`,
      );
    }
    if (httpClient.arguments.some((argument) => isCallTo(argument, 'withInterceptorsFromDi'))) return;
    applyChangesToFile(tree, modulePath, [
      appendArgument(modulePath, httpClient, 'withInterceptorsFromDi()'),
      insertImport(source, modulePath, 'withInterceptorsFromDi', HTTP),
    ]);
    return;
  };
}

/** Every call of `name(...)` in the file. */
export function findCalls(source: ts.SourceFile, name: string): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isCallTo(node, name)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

function findIdentifiers(source: ts.SourceFile, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isCallTo(node: ts.Node, name: string): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;
}

/** Inserts `code` as the last argument of `call`: after the last one (before a trailing comma), or alone. */
function appendArgument(file: string, call: ts.CallExpression, code: string): Change {
  const last = call.arguments[call.arguments.length - 1];
  return last ? new InsertChange(file, last.getEnd(), `, ${code}`) : new InsertChange(file, call.arguments.pos, code);
}
