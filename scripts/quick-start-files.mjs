/**
 * The quick start's files, as README.md shows them: every fenced code block whose first line names a path
 * (`// src/app/home.ts`, `<!-- src/app/app.html -->`) is that file, whole. scripts/ng-add-check.mjs pastes
 * them into fresh apps and builds them, so the README cannot show a file that does not compile.
 */

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
