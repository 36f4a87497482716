#!/usr/bin/env tsx
/**
 * `pnpm check:imports` (CI, .ci/run): three checks over the workspace's TypeScript, no tool needed.
 * 1. No import cycle: neither between workspace packages (their package.json dependencies) nor
 *    between modules (relative and `@callqa/*` imports, type-only imports included), reported as
 *    the chain of files.
 * 2. No unused dependency: every dependency a package.json lists is imported by that package's
 *    files, named in one of its scripts, or a known tool (types, compilers, test runners).
 * 3. Settings are read in one config module per deployable: in packages/ and services/ src/, process.env
 *    appears only in `services/<name>/src/config.ts` (and in tests and test fixtures, `testing.ts`);
 *    everything else takes options. scripts/ and test/ are not checked (CLIs read their flags and env).
 * Exit 1 with every finding listed; 0 when clean.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

/** Dependencies used without an import: type packages, compilers, runners, native builds a bench loads lazily. */
const USED_WITHOUT_IMPORT = new Set(['typescript', 'tsx', 'vitest', '@types/node', '@types/ws', '@types/pg', 'vite'])

interface Pkg {
  name: string
  dir: string
  deps: string[]
  scripts: string
}

function workspacePackages(): Pkg[] {
  const dirs = ['packages', 'services'].flatMap((d) => readdirSync(join(ROOT, d)).map((n) => join(ROOT, d, n))).concat([join(ROOT, 'scripts'), join(ROOT, 'test'), ROOT])
  return dirs
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((dir) => {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }
      return { name: json.name, dir, deps: Object.keys({ ...json.dependencies, ...json.devDependencies }), scripts: Object.values(json.scripts ?? {}).join('\n') }
    })
}

function sourceFiles(dir: string, skip: string[], out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const path = join(dir, name)
    if (skip.some((s) => path === s)) continue
    if (statSync(path).isDirectory()) sourceFiles(path, skip, out)
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/** import/export … from, import(), import.meta.resolve(), require() and createRequire(…)(…). Group 1 is `type` for type-only statements. */
const IMPORT = /(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\.meta\.resolve\(\s*['"]([^'"]+)['"]\s*\)|(?:require|\))\(\s*['"]([^'"]+)['"]\s*\)/g

/** The modules a file imports; `runtimeOnly` leaves out type-only imports (erased at compile time, no cycle). */
function specifiers(file: string, runtimeOnly = false): string[] {
  const text = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')
  return [...text.matchAll(IMPORT)].filter((m) => !(runtimeOnly && m[1])).map((m) => (m[2] ?? m[3] ?? m[4] ?? m[5])!)
}

function packageOf(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec)
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

const problems: string[] = []
const packages = workspacePackages()
const byName = new Map(packages.map((p) => [p.name, p]))
const nested = packages.filter((p) => p.dir !== ROOT).map((p) => p.dir)
const filesOf = new Map(packages.map((p) => [p.name, sourceFiles(p.dir, p.dir === ROOT ? nested : [])]))

// 1a. Package cycles (workspace dependencies).
const pkgGraph = new Map(packages.map((p) => [p.name, p.deps.filter((d) => byName.has(d))]))
// 1b. Module cycles.
const modGraph = new Map<string, string[]>()
for (const [name, files] of filesOf) {
  for (const file of files) {
    const edges: string[] = []
    for (const spec of specifiers(file, true)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec)
        if (target) edges.push(target)
      } else if (spec.startsWith('@callqa/') && byName.has(packageOf(spec))) {
        const index = join(byName.get(packageOf(spec))!.dir, 'src/index.ts')
        if (existsSync(index)) edges.push(index)
      }
    }
    modGraph.set(file, edges)
  }
  void name
}

function cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; each component of more than one node (or a self loop) is a cycle.
  let index = 0
  const stack: string[] = []
  const on = new Set<string>()
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const found: string[][] = []
  const visit = (v: string) => {
    // Iterative DFS: import graphs can be deep.
    const work: Array<{ v: string; i: number }> = [{ v, i: 0 }]
    idx.set(v, index), low.set(v, index++), stack.push(v), on.add(v)
    while (work.length > 0) {
      const top = work[work.length - 1]!
      const edges = graph.get(top.v) ?? []
      if (top.i < edges.length) {
        const w = edges[top.i++]!
        if (!idx.has(w)) {
          idx.set(w, index), low.set(w, index++), stack.push(w), on.add(w)
          work.push({ v: w, i: 0 })
        } else if (on.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!))
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1]!.v
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!))
      }
      if (low.get(top.v) === idx.get(top.v)) {
        const component: string[] = []
        let w: string
        do {
          w = stack.pop()!
          on.delete(w)
          component.push(w)
        } while (w !== top.v)
        if (component.length > 1 || (graph.get(top.v) ?? []).includes(top.v)) found.push(component.reverse())
      }
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return found
}

for (const c of cycles(pkgGraph)) problems.push(`package cycle: ${c.join(' → ')} → ${c[0]}`)
for (const c of cycles(modGraph)) problems.push(`import cycle: ${c.map((f) => relative(ROOT, f)).join(' → ')} → ${relative(ROOT, c[0]!)}`)

// 2. Unused dependencies.
// The root's devDependencies serve every workspace package (pnpm links them at the root).
const everyFile = [...filesOf.values()].flat()
for (const pkg of packages) {
  const files = pkg.dir === ROOT ? everyFile : (filesOf.get(pkg.name) ?? [])
  const imported = new Set(files.flatMap((f) => specifiers(f).filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map(packageOf)))
  // A relative import into another workspace package's files (the console's protocol.ts) uses that package.
  for (const f of files) {
    for (const spec of specifiers(f).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(f), spec)
      const owner = packages.find((p) => p.dir !== ROOT && p.dir !== pkg.dir && target.startsWith(`${p.dir}/`))
      if (owner) imported.add(owner.name)
    }
  }
  for (const dep of pkg.deps) {
    if (imported.has(dep) || USED_WITHOUT_IMPORT.has(dep) || pkg.scripts.includes(dep)) continue
    problems.push(`unused dependency: ${pkg.name} lists ${dep} in ${relative(ROOT, join(pkg.dir, 'package.json')) || 'package.json'} but nothing there imports it`)
  }
}

// 3. process.env outside the config modules.
const PROCESS_ENV = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/
/** Where reading the environment is the job: a deployable's config module, tests and their fixtures. */
function mayReadEnv(file: string): boolean {
  const path = relative(ROOT, file)
  return /^services\/[^/]+\/src\/config\.ts$/.test(path) || /\.test\.tsx?$/.test(path) || /(^|\/)testing\.ts$/.test(path)
}
for (const pkg of packages.filter((p) => /^(packages|services)\//.test(relative(ROOT, p.dir)))) {
  for (const file of filesOf.get(pkg.name) ?? []) {
    // Benches and the eval harness are CLIs of their own (like scripts/): only src/ is held to it.
    if (!relative(pkg.dir, file).startsWith('src/') || mayReadEnv(file)) continue
    const lines = readFileSync(file, 'utf8').split('\n')
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return
      if (PROCESS_ENV.test(line)) problems.push(`process.env read outside a config module: ${relative(ROOT, file)}:${i + 1} (read the setting in the deployable's src/config.ts and pass it in as an option)`)
    })
  }
}

if (problems.length > 0) {
  console.error(`check:imports: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.error(`check:imports: ${packages.length} packages, ${modGraph.size} modules: no import cycle, no unused dependency, process.env only in config modules`)
