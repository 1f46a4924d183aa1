/**
 * Loading a direct command's bundle with V8's code cache on Node versions that have no compile cache of their own.
 *
 * Node >= 22.1 keeps the compiled code of every module it loads (module.enableCompileCache(), called by bin/run.js),
 * so there a bundle is simply required. Node 20 has nothing of the kind: each run compiles the 150-280 KB bundle
 * again, plus every function the command calls, which is 5-15 ms of a 100 ms `topics --describe`. Here the bundle is
 * compiled through vm.Script with the code V8 serialised on an earlier run (`createCachedData()` after the command
 * ran, so it also holds the functions compiled lazily while it ran) and wrapped as Node's CommonJS loader does.
 * V8 refuses data made from another source text or by another V8 (`cachedDataRejected`): the bundle is then compiled
 * as usual and the data written again. Any failure to read or write the cache only costs the speed-up.
 *
 * The bundles contain no import(): scripts/build.mjs turns them into require() (esbuild's `dynamic-import: false`),
 * since a vm.Script on Node 20 can import() only with an experimental flag or warning.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { kafkitCache } from '../paths.js'

/** The CommonJS wrapper of Node's loader: the bundle sees the same five names as under require(). */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});']

type ModuleInternals = typeof Module & {
  _cache: Record<string, Module>
  _nodeModulePaths(dir: string): string[]
}

/** Where the code of a bundle is kept for this Node and this build of the bundle (its size and time in the name). */
export function codeCachePath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const { size, mtimeMs } = statSync(file)
  const build = `${size}-${Math.trunc(mtimeMs)}`
  return join(kafkitCache(env), 'v8', `${process.version}-${process.arch}`, `${basename(file)}.${build}.bin`)
}

/** require(file), through the code cache where Node has no compile cache of its own (KAFKIT_CODE_CACHE=0: never). */
export function requireBundle(file: string): unknown {
  const requireHere = createRequire(import.meta.url)
  const nodeHasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function'
  if (nodeHasCompileCache || process.env.KAFKIT_CODE_CACHE === '0') return requireHere(file)
  let cachePath: string
  let source: string
  try {
    cachePath = codeCachePath(file)
    source = readFileSync(file, 'utf8')
  } catch {
    return requireHere(file)
  }
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cachePath)
  } catch {
    // First run of this build on this Node: compiled as usual, the cache is written at exit.
  }
  const script = new Script(WRAPPER[0] + source + WRAPPER[1], { filename: file, cachedData })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit, when everything the command ran is compiled; the command ends through process.exit() or an empty loop.
    process.once('exit', () => writeCodeCache(cachePath, script))
  }
  const internals = Module as ModuleInternals
  const bundle = new Module(file)
  bundle.filename = file
  bundle.paths = internals._nodeModulePaths(dirname(file))
  internals._cache[file] = bundle
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  const requireFromBundle = createRequire(file)
  wrapper.call(bundle.exports, bundle.exports, requireFromBundle, bundle, file, dirname(file))
  bundle.loaded = true
  return bundle.exports
}

function writeCodeCache(path: string, script: Script): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.tmp`
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 })
    renameSync(temporary, path)
    // The code of earlier builds of the same bundle is never read again.
    const [bundleName] = basename(path).split('.', 1)
    for (const name of readdirSync(dirname(path))) {
      if (name.startsWith(`${bundleName}.`) && name !== basename(path) && name.endsWith('.bin'))
        rmSync(join(dirname(path), name), { force: true })
    }
  } catch {
    // A read-only or full disk: the next run compiles again, nothing else changes.
  }
}
