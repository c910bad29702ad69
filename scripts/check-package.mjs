/**
 * Checks what `npm pack` of the built package (dist/ngx-implicit-auth; run `npm run build:lib` first) would publish:
 *
 *  - package.json `exports`: both entry points, each with `types` and `default` files that are in the tarball;
 *  - the silent-callback page, README.md, LICENSE (MIT, as package.json says), the ng add schematic's files;
 *  - every relative link of README.md (and of the guides it links to) names a file in the package;
 *  - nothing of the workspace's development: no specs, no TypeScript sources or fixtures (only .d.ts);
 *  - source maps, if any, only with sources inside the package that are in it;
 *
 * and prints the packed and unpacked size. Exits non-zero, listing every problem, when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_DIR = join(ROOT, 'dist', 'ngx-implicit-auth');
const ENTRY_POINTS = ['.', './testing'];
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'silent-callback/silent-callback.html'];
/** Development files that must never ship. */
const FORBIDDEN = [
  { test: (path) => /\.spec\.[cm]?[jt]s$/.test(path), why: 'a spec' },
  { test: (path) => /\.[cm]?ts$/.test(path) && !/\.d\.[cm]?ts$/.test(path), why: 'TypeScript source' },
  { test: (path) => /(^|\/)(__)?(fixtures?|mocks?)(__)?\//.test(path), why: 'a test fixture' },
  { test: (path) => /(^|\/)(e2e|node_modules|\.angular)\//.test(path), why: 'workspace development files' },
];

const problems = [];

/**
 * A relative Markdown link in a shipped Markdown file must name a shipped file: npm users read the README in
 * node_modules and on package viewers, where a link into the workspace leads nowhere.
 */
async function checkRelativeLinks(files, read) {
  for (const doc of [...files].filter((path) => path.endsWith('.md'))) {
    for (const [, target] of (await read(doc)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
      const path = posix.normalize(posix.join(posix.dirname(doc), target.split('#')[0]));
      if (!files.has(path)) problems.push(`${doc} links to ${target}, which is not in the package`);
    }
  }
}
const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-pack-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', PACKAGE_DIR, '--pack-destination', workDir, '--json', '--loglevel=error'], {
      encoding: 'utf8',
    }),
  );
  const files = new Set(packed.files.map(({ path }) => path));
  const unpacked = join(workDir, 'unpacked');
  await mkdir(unpacked);
  execFileSync('tar', ['-xzf', join(workDir, packed.filename), '-C', unpacked]);
  const root = join(unpacked, 'package');
  const read = (path) => readFile(join(root, path), 'utf8');
  const manifest = JSON.parse(await read('package.json'));

  for (const path of REQUIRED_FILES) if (!files.has(path)) problems.push(`${path} is missing`);
  if (files.has('LICENSE') && !(await read('LICENSE')).startsWith(`${manifest.license} License`)) {
    problems.push(`LICENSE is not the ${manifest.license} license that package.json names`);
  }
  checkExports(manifest, files);
  await checkRelativeLinks(files, read);
  await checkSchematics(manifest, files, read);
  for (const path of files) {
    for (const { test, why } of FORBIDDEN) if (test(path)) problems.push(`${path} is ${why}`);
  }
  await checkSourceMaps(files, read);

  console.log(`${packed.filename}: ${packed.entryCount} files`);
  for (const { path, size } of packed.files) console.log(`  ${formatSize(size).padStart(9)}  ${path}`);
  console.log(`packed ${formatSize(packed.size)}, unpacked ${formatSize(packed.unpackedSize)}`);
} catch (error) {
  problems.push(`could not pack or read the package: ${error.message}`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`✖ The package has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('✔ The package is complete and holds nothing it should not.');
}

/** Every `exports` entry's files exist; both entry points have types. */
function checkExports(manifest, files) {
  const exportsMap = manifest.exports ?? {};
  for (const entryPoint of ENTRY_POINTS) {
    if (!exportsMap[entryPoint]?.types) problems.push(`exports["${entryPoint}"] has no types`);
    if (!exportsMap[entryPoint]?.default) problems.push(`exports["${entryPoint}"] has no default`);
  }
  for (const [subpath, conditions] of Object.entries(exportsMap)) {
    const targets = typeof conditions === 'string' ? { default: conditions } : conditions;
    for (const [condition, target] of Object.entries(targets)) {
      if (!files.has(posix.normalize(target)))
        problems.push(`exports["${subpath}"].${condition}: ${target} is missing`);
    }
  }
}

/** `ng add` needs the collection, each schematic's factory and schema. */
async function checkSchematics(manifest, files, read) {
  if (!manifest.schematics) return problems.push('package.json names no schematics collection (ng add)');
  const collectionPath = posix.normalize(manifest.schematics);
  if (!files.has(collectionPath)) return problems.push(`the schematics collection ${collectionPath} is missing`);
  const { schematics } = JSON.parse(await read(collectionPath));
  if (!schematics['ng-add']) problems.push('the schematics collection has no ng-add');
  for (const [name, { factory, schema }] of Object.entries(schematics)) {
    for (const file of [factory.split('#')[0], schema]) {
      if (!files.has(posix.join(posix.dirname(collectionPath), file)))
        problems.push(`schematic ${name}: ${file} is missing`);
    }
  }
}

/** A map's sources must be files of the package, else debuggers look outside it (or nowhere). */
async function checkSourceMaps(files, read) {
  for (const path of files) {
    if (/\.[cm]?js$/.test(path)) {
      const reference = (await read(path)).match(/\/\/# sourceMappingURL=(\S+)\s*$/)?.[1];
      if (reference && !reference.startsWith('data:') && !files.has(posix.join(posix.dirname(path), reference))) {
        problems.push(`${path} refers to a missing source map ${reference}`);
      }
    }
    if (!path.endsWith('.map')) continue;
    const map = JSON.parse(await read(path));
    for (const source of map.sources ?? []) {
      const resolved = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
      if (resolved.startsWith('../')) problems.push(`${path}: source ${source} is outside the package`);
      else if (!files.has(resolved)) problems.push(`${path}: source ${source} is not in the package`);
    }
  }
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
