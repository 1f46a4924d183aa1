/**
 * oclif finds kafkit's commands in src/command-index.ts (package.json oclif.commands, strategy "explicit"), not by
 * scanning a directory: a command file missing from the index would silently not exist. And the index is loaded
 * before any command runs, so what it imports statically is paid by every command: heavy packages stay lazy.
 * (kafkajs, kept out of the bundle, is loaded only by cluster/kafkajs-internals.ts: see test/unit/layers.test.ts.)
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { COMMANDS } from '../../src/command-index.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const commandsDir = join(root, 'src', 'commands')

describe('the explicit command index', () => {
  it('lists every file of src/commands under its oclif id, and nothing else', async () => {
    const files = readdirSync(commandsDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .sort()
    assert.ok(files.length > 20)
    const expected = files.map((f) => f.replace(/\.ts$/, '').split(/[\\/]/).join(':'))
    assert.deepEqual(Object.keys(COMMANDS).sort(), expected.sort(), 'add the new command to src/command-index.ts')
    for (const file of files) {
      const { default: Command } = await import(join(commandsDir, file))
      const id = file.replace(/\.ts$/, '').split(/[\\/]/).join(':')
      assert.equal(
        COMMANDS[id as keyof typeof COMMANDS],
        Command,
        `${id} must be the default export of src/commands/${file}`,
      )
    }
  })

  it('is what package.json points oclif to (the bundle entry mirrors src/, as bin/dev.mjs needs)', () => {
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    assert.deepEqual(pjson.oclif.commands, {
      strategy: 'explicit',
      target: './dist/command-index.js',
      identifier: 'COMMANDS',
    })
    assert.match(readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8'), /'command-index': 'src\/command-index\.ts'/)
  })

  it('loads no heavy package at start-up: kafkajs, execa, prompts, codecs only inside run()', () => {
    const heavy = [
      'kafkajs',
      'execa',
      '@inquirer/prompts',
      'yaml',
      '@bokuweb/zstd-wasm',
      'fzstd',
      'lz4js',
      'snappyjs',
      '@oclif/plugin-autocomplete',
    ]
    const seen = new Set<string>()
    const reached: Array<{ pkg: string; from: string }> = []
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      // Static imports and re-exports (not `import type`, not `await import()`), one or several lines long.
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) {
        const spec = m[1]!
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
        else if (!spec.startsWith('node:')) reached.push({ pkg: spec, from: relative(root, file) })
      }
    }
    visit(join(root, 'src', 'command-index.ts'))
    visit(join(root, 'src', 'cli.ts'))
    assert.ok(seen.size > 50, `walked ${seen.size} modules`)
    const offending = reached.filter((r) => heavy.some((h) => r.pkg === h || r.pkg.startsWith(`${h}/`)))
    assert.deepEqual(offending, [], 'import these with `await import()` where they are used')
  })
})
