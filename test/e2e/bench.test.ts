import assert from 'node:assert/strict'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { cacheDir, repoRoot, run } from './helpers.js'

/** `npm run bench -- --quick` in CI keeps the benchmark harness from rotting: every scenario runs and checks itself. */
describe('bench --quick', () => {
  it('prints the table for every scenario and tool, and writes the JSON', async () => {
    const result = await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'bench', 'run.ts'), '--quick'],
      { ...process.env, KAFKIT_CACHE: cacheDir },
      900_000,
    )
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
    for (const scenario of [
      'produce 1p',
      'produce keyed 6p',
      'consume to end',
      'topics --list',
      'topics --describe',
      'consumer-groups --describe',
      'get-offsets',
      '--version',
      '--version (first run after the build)',
      '--help',
      'up to ready (KRaft',
      'down (KRaft',
      'up, new stack: format and start (KRaft',
      'up to ready (embedded)',
      'down (embedded)',
    ]) {
      // No script starts the embedded broker: kafkit's row only.
      for (const tool of scenario.startsWith('--help') ||
      scenario.includes('(first run') ||
      scenario.includes('(embedded)')
        ? ['kafkit']
        : ['kafkit', 'kafka']) {
        assert.match(
          result.stdout,
          new RegExp(`\\| ${scenario.replace(/[()]/g, '\\$&')}[^|]*\\| ${tool}\\s`),
          `${scenario} / ${tool}`,
        )
      }
    }
    assert.match(result.stdout, /\| produce 1p\s+\| kcat\s/)
    // The embedded broker against Kafka (issue 15's targets): every figure, with its target where it has one.
    for (const measure of [
      'startKafka() to ready, fresh Node',
      "import('kafkit/embedded') + startKafka()",
      'startKafka() to ready, warm',
      'startKafka({ dataDir }) to ready, warm',
      '`kafkit up` to ready (a stopped stack)',
      'broker RSS, idle',
      'kcat -P, acks=all (wall clock)',
      'kcat -C to the end (wall clock)',
    ])
      assert.match(result.stdout, new RegExp(`\\| ${measure.replace(/[()[\]{}.+]/g, '\\$&')}\\s+\\| \\d`), measure)
    const file = /JSON: (.*\.json)/.exec(result.stdout)?.[1]
    assert.ok(file && existsSync(file), 'JSON written')
    const data = JSON.parse(readFileSync(file, 'utf8'))
    assert.equal(data.machine.quick, true)
    assert.ok(data.results.every((r: { medianMs: number }) => r.medianMs > 0))
    assert.ok(
      data.embeddedVsKafka.length >= 8 &&
        data.embeddedVsKafka.every((f: { embedded: number }) => Number.isFinite(f.embedded) && f.embedded >= 0),
    )
    rmSync(file)
  })
})
