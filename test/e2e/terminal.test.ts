/**
 * What a person sees on a terminal, through a real pseudo-terminal (`script`), at the sizes the newcomer walk used.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { repoRoot, run, sandbox, type Sandbox } from './helpers.js'

const bin = join(repoRoot, 'bin', 'run.js')
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')

describe('on a terminal', () => {
  let box: Sandbox
  before(() => { box = sandbox() })
  after(async () => box.cleanup())

  for (const [columns, rows] of [[160, 45], [80, 15]] as const) {
    it(`doctor fits a ${columns}-column terminal: long details and fixes wrap inside their columns`, async () => {
      const result = await run('script', ['-qec', `stty cols ${columns} rows ${rows}; node ${bin} doctor`, '/dev/null'], box.env, 60_000)
      const lines = plain(result.stdout).split('\n')
      assert.ok(lines.some((l) => /^CHECK\s+STATUS\s+DETAILS\s+FIX/.test(l)), result.stdout)
      const widest = Math.max(...lines.map((l) => l.length))
      assert.ok(widest < columns, `widest line ${widest} of ${columns} columns:\n${lines.filter((l) => l.length >= columns).join('\n')}`)
    })
  }

  it('doctor in a pipe keeps one line per check (for grep and awk)', async () => {
    const result = await box.kafkit(['doctor'])
    const rows = result.stdout.split('\n').filter((l) => /^(docker|homebrew|dist|embedded)\s/.test(l))
    assert.equal(rows.length, 4, result.stdout)
  })
})
