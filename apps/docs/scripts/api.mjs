// Generates the API reference into generated/api with TypeDoc: one module per public workspace
// package (`@torchlet/*` with `"private"` unset), discovered, so a new package appears without
// editing this file. Types resolve to the packages' sources, so no build is needed and links
// between packages work. Usage: node scripts/api.mjs [--out <dir>] [package names...]
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Comment, LogLevel } from 'typedoc';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(docs, '../..');

/**
 * The public workspace packages: name and TypeScript entry of every `packages/*` whose
 * package.json names it `@torchlet/...` and is not private (the umbrella `torchlet` only
 * re-exports them).
 *
 * @returns {{ name: string, dir: string, entry: string, description: string }[]}
 */
export function publicPackages() {
  const found = [];
  for (const dir of readdirSync(join(repo, 'packages')).sort()) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.private || typeof pkg.name !== 'string' || !pkg.name.startsWith('@torchlet/')) continue;
    found.push({
      name: pkg.name,
      dir,
      entry: join(repo, 'packages', dir, 'src/index.ts'),
      description: typeof pkg.description === 'string' ? pkg.description : '',
    });
  }
  return found;
}

/**
 * Runs TypeDoc on `packages` (default: all public ones) into `out`.
 *
 * @param {{ out?: string, only?: string[] }} [options]
 */
export async function buildApi(options = {}) {
  const out = options.out ?? join(docs, 'generated/api');
  const packages = publicPackages().filter((p) => !options.only?.length || options.only.includes(p.name));
  if (packages.length === 0) throw new Error('api: no public @torchlet packages found');
  // One program over the sources, with package imports mapped to them, so cross-package links resolve.
  const tsconfig = join(tmpdir(), `torchlet-api-tsconfig-${process.pid}.json`);
  const paths = Object.fromEntries(publicPackages().map((p) => [p.name, [p.entry]]));
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repo, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, paths },
      files: packages.map((p) => p.entry),
    }),
  );
  try {
    const app = await Application.bootstrap({
      entryPoints: packages.map((p) => p.entry),
      tsconfig,
      name: 'torchlet API reference',
      readme: 'none',
      favicon: join(docs, 'src/assets/favicon.svg'),
      skipErrorChecking: true,
      excludePrivate: true,
      excludeInternal: true,
      hideGenerator: true,
      disableSources: true,
      validation: { notExported: false, invalidLink: false, rewrittenLink: false },
      logLevel: LogLevel.Error,
    });
    const project = await app.convert();
    if (!project) throw new Error('api: TypeDoc could not convert the packages');
    // Modules are named after their entry paths ("tensor/src"); name them as they are imported.
    // Their package descriptions introduce them on the index page.
    const byPath = new Map(packages.map((p) => [`${p.dir}/src`, p]));
    for (const mod of project.children ?? []) {
      const pkg = byPath.get(mod.name);
      if (!pkg) continue;
      mod.name = pkg.name;
      if (!mod.comment && pkg.description)
        mod.comment = new Comment([{ kind: 'text', text: pkg.description }]);
    }
    if (packages.length === 1) project.name = `${packages[0].name} API reference`;
    rmSync(out, { recursive: true, force: true });
    await app.generateDocs(project, out);
    return packages.map((p) => p.name);
  } finally {
    rmSync(tsconfig, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const start = Date.now();
  const names = await buildApi({ out, only: args });
  console.log(`api: ${names.join(', ')} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
