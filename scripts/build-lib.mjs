/**
 * `npm run build:lib`: the library package in dist/ngx-implicit-auth, ready for `npm pack`.
 *
 *  1. ng-packagr (`ng build ngx-implicit-auth`): both entry points, the silent-callback page, LICENSE.
 *  2. The `ng add` schematic, bundled with esbuild to one CommonJS file (the package is `"type": "module"`, hence
 *     `.cjs`), with its collection and schema. It checks answers with the library's own config rules, so those
 *     come along in the bundle; the Angular devkit comes from the app's CLI.
 *  3. The package README: the workspace README without the sections about this repository, and the guides it
 *     links to (docs/migrating-*.md), so its relative links resolve inside the package.
 *  4. No source maps: ng-packagr's point at ../../../projects/…, outside the package.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARY = join(ROOT, 'projects', 'ngx-implicit-auth');
const DIST = join(ROOT, 'dist', 'ngx-implicit-auth');
const require = createRequire(import.meta.url);
const NG_BIN = join(dirname(require.resolve('@angular/cli/package.json')), 'bin', 'ng.js');
/** Sections of the workspace README that are about this repository, not about using the package. */
const REPOSITORY_SECTIONS = ['The two commands', 'Benchmarks', 'This repository'];

const ngBuild = spawnSync(process.execPath, [NG_BIN, 'build', 'ngx-implicit-auth'], { cwd: ROOT, stdio: 'inherit' });
if (ngBuild.status !== 0) process.exit(ngBuild.status ?? 1);

await buildSchematics();
await writePackageReadme();
await removeSourceMaps();
console.log(`Package ready in ${DIST}`);

async function buildSchematics() {
  const source = join(LIBRARY, 'schematics');
  const target = join(DIST, 'schematics');
  const collection = JSON.parse(await readFile(join(source, 'collection.json'), 'utf8'));
  delete collection.$schema;
  for (const schematic of Object.values(collection.schematics)) {
    const [modulePath, exportName] = schematic.factory.split('#');
    await build({
      entryPoints: [join(source, `${modulePath}.ts`)],
      outfile: join(target, `${modulePath}.cjs`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The devkit and its TypeScript are the app's, from @angular/cli: one copy, the version that runs.
      external: ['@angular-devkit/*', '@schematics/angular', '@schematics/angular/*'],
      logLevel: 'warning',
    });
    schematic.factory = `${modulePath}.cjs#${exportName}`;
    await mkdir(dirname(join(target, schematic.schema)), { recursive: true });
    await copyFile(join(source, schematic.schema), join(target, schematic.schema));
  }
  await writeFile(join(target, 'collection.json'), `${JSON.stringify(collection, null, 2)}\n`);
}

async function writePackageReadme() {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const sections = readme.split(/^(?=## )/m);
  const kept = sections.filter((section) => !REPOSITORY_SECTIONS.some((title) => section.startsWith(`## ${title}\n`)));
  const anchors = REPOSITORY_SECTIONS.map(
    (title) =>
      `(#${title
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-')})`,
  );
  const text = kept
    .join('')
    .split('\n')
    .filter((line) => !anchors.some((anchor) => line.startsWith('- [') && line.endsWith(anchor)))
    .join('\n');
  await writeFile(join(DIST, 'README.md'), text);
  await mkdir(join(DIST, 'docs'), { recursive: true });
  for (const guide of await readdir(join(ROOT, 'docs'))) {
    if (/^migrating-.*\.md$/.test(guide)) await copyFile(join(ROOT, 'docs', guide), join(DIST, 'docs', guide));
  }
}

async function removeSourceMaps() {
  for (const entry of await readdir(DIST, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    if (entry.name.endsWith('.map')) {
      await rm(file);
    } else if (/\.(mjs|js|cjs)$/.test(entry.name)) {
      const code = await readFile(file, 'utf8');
      const stripped = code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      if (stripped !== code) await writeFile(file, stripped);
    }
  }
}
