import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import Module from 'node:module'

const nodeHasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function'

/** Loads `bundle` through requireBundle in a fresh node (as bin/run.js does) and returns what the bundle reported. */
function load(bundle: string, cache: string, env: NodeJS.ProcessEnv = {}): { value: string; inRequireCache: string } {
  const program = `
    import { requireBundle } from ${JSON.stringify(join(process.cwd(), 'src/direct/code-cache.ts'))}
    import { createRequire } from 'node:module'
    const loaded = requireBundle(${JSON.stringify(bundle)})
    const inCache = createRequire(import.meta.url).cache[${JSON.stringify(bundle)}]?.exports === loaded
    console.log(JSON.stringify({ value: loaded.value(), inRequireCache: String(inCache) }))
  `
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    env: { ...process.env, KAFKIT_CACHE: cache, ...env },
    encoding: 'utf8',
  })
  return JSON.parse(out) as { value: string; inRequireCache: string }
}

describe('direct bundles through V8 code cache (src/direct/code-cache.ts)', () => {
  const source = (n: number) =>
    `'use strict'\nconst path = require('node:path')\nexports.value = () => [${n}, path.basename(__filename), typeof module.exports].join(' ')\n`

  it('runs the bundle as require() would, and on Node without a compile cache keeps V8 code per bundle build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-code-cache-'))
    const cache = join(dir, 'cache')
    const bundle = join(dir, 'b.cjs')
    writeFileSync(bundle, source(1))
    assert.deepEqual(load(bundle, cache), { value: '1 b.cjs object', inRequireCache: 'true' })
    const v8 = join(cache, 'v8', `${process.version}-${process.arch}`)
    if (nodeHasCompileCache) {
      // Node >= 22.1: its own compile cache (bin/run.js enables it) does this job; kafkit writes nothing.
      assert.equal(existsSync(v8), false)
      return
    }
    const first = readdirSync(v8)
    assert.equal(first.length, 1)
    assert.match(first[0]!, /^b\.cjs\.\d+-\d+\.bin$/)
    // The second run reads the data (same file kept), the result is the same.
    assert.deepEqual(load(bundle, cache), { value: '1 b.cjs object', inRequireCache: 'true' })
    assert.deepEqual(readdirSync(v8), first)
    // A new build of the bundle: new data, the old file goes.
    writeFileSync(bundle, source(22))
    assert.deepEqual(load(bundle, cache), { value: '22 b.cjs object', inRequireCache: 'true' })
    const second = readdirSync(v8)
    assert.equal(second.length, 1)
    assert.notDeepEqual(second, first)
    // Data V8 refuses (damaged) only costs the speed-up.
    writeFileSync(join(v8, second[0]!), 'not V8 code')
    assert.deepEqual(load(bundle, cache), { value: '22 b.cjs object', inRequireCache: 'true' })
    assert.notEqual(readFileSync(join(v8, second[0]!), 'utf8'), 'not V8 code', 'written again')
    // KAFKIT_CODE_CACHE=0: a plain require, nothing read or written.
    const off = join(dir, 'off')
    assert.deepEqual(load(bundle, off, { KAFKIT_CODE_CACHE: '0' }), {
      value: '22 b.cjs object',
      inRequireCache: 'true',
    })
    assert.equal(existsSync(off), false)
  })
})
