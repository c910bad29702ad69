/**
 * The quick start's files, as README.md shows them: every fenced code block whose first line names a path
 * (`// src/app/home.ts`, `<!-- src/app/app.html -->`) is that file, whole. scripts/ng-add-check.mjs pastes
 * them into fresh apps and builds them, so the README cannot show a file that does not compile;
 * scripts/angular-22-check.mjs does the same on Angular 22.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of each set-up, in the order the README shows them; each must be in the README exactly once. */
export const QUICK_START_FILES = Object.freeze({
  standalone: [
    'src/app/app.config.ts',
    'src/app/app.routes.ts',
    'src/app/home.ts',
    'src/app/profile.ts',
    'src/app/app.html',
  ],
  ngModule: [
    'src/app/app-module.ts',
    'src/app/app-routing-module.ts',
    'src/app/home.ts',
    'src/app/profile.ts',
    'src/app/app.html',
  ],
});

const FENCE = /^```(\w*)\n([\s\S]*?)^```$/gm;
const PATH_LINE = /^(?:\/\/ (\S+)|<!-- (\S+) -->)$/;

/**
 * Reads the path-named blocks and the `angular.json` asset entry (the JSON block that names
 * `silent-callback.html`) from the README's text.
 * @returns {{ files: Map<string, string>, assetEntry: object }}
 * @throws when a path is named twice or the asset entry is missing
 */
export function readQuickStartFiles(readme) {
  const files = new Map();
  let assetEntry;
  for (const [, language, body] of readme.matchAll(FENCE)) {
    const [firstLine] = body.split('\n', 1);
    const match = PATH_LINE.exec(firstLine);
    if (match) {
      const path = match[1] ?? match[2];
      if (files.has(path)) throw new Error(`README.md shows ${path} twice`);
      files.set(path, body);
    } else if (language === 'json' && body.includes('silent-callback.html')) {
      assetEntry = JSON.parse(body);
    }
  }
  if (!assetEntry) throw new Error('README.md lacks the angular.json asset entry for silent-callback.html');
  return { files, assetEntry };
}

/**
 * Pastes one set-up's files into a project of a fresh workspace, as a user does, and adds the asset entry to the
 * project's build options in angular.json.
 * @param {string} workspaceDir the folder of angular.json
 * @param {string} project the project's name in angular.json
 * @param {readonly string[]} paths `QUICK_START_FILES.standalone` or `QUICK_START_FILES.ngModule`
 * @param {{ files: Map<string, string>, assetEntry: object }} quickStart what `readQuickStartFiles` read
 * @throws when the README lacks one of the files, or the generated app does not use app.html
 */
export async function pasteQuickStart(workspaceDir, project, paths, { files, assetEntry }) {
  const workspaceFile = join(workspaceDir, 'angular.json');
  const workspace = JSON.parse(await readFile(workspaceFile, 'utf8'));
  const projectDir = join(workspaceDir, workspace.projects[project].root);
  const appSource = await readFile(join(projectDir, 'src', 'app', 'app.ts'), 'utf8');
  // The README replaces app.html: a generated app that does not use it would not test that block.
  if (!appSource.includes("templateUrl: './app.html'")) throw new Error(`${project}'s App does not use app.html`);
  for (const path of paths) {
    const text = files.get(path);
    if (text === undefined) throw new Error(`README.md shows no whole ${path} (a block starting "// ${path}")`);
    await writeFile(join(projectDir, path), text);
  }
  workspace.projects[project].architect.build.options.assets.push(assetEntry);
  await writeFile(workspaceFile, `${JSON.stringify(workspace, null, 2)}\n`);
}
