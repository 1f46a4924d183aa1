/**
 * The README's table of Kafka's scripts: every script a kafkit command answers to (its `.sh` aliases) has a row, and
 * every `kafkit <command>` a row names exists, so the table cannot drift from the commands.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { COMMANDS } from '../../src/command-index.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(
  readme.indexOf('## Kafka scripts and their kafkit commands'),
  readme.indexOf('## Local stacks'),
)
const rows = section.split('\n').filter((line) => line.startsWith('| `'))

describe("README's table of Kafka's scripts", () => {
  it('has a row for every script a command mirrors', () => {
    const scripts = Object.values(COMMANDS).flatMap((command) => command.aliases.filter((a) => a.endsWith('.sh')))
    assert.ok(scripts.length > 30)
    const missing = scripts.filter((script) => {
      const stem = script.replace(/\.sh$/, '')
      return !rows.some((row) => row.includes(`\`${script}\``) || row.includes(`\`${stem}.sh\``) || row.includes(stem))
    })
    assert.deepEqual(missing, [])
  })

  it('names only commands that exist', () => {
    const ids = new Set(Object.keys(COMMANDS).map((id) => id.replace(/:/g, ' ')))
    for (const row of rows)
      for (const m of row.matchAll(/`kafkit ([a-z][\w-]*(?: [a-z][\w-]*)?)/g)) {
        const words = m[1]!.split(' ')
        assert.ok(ids.has(words.join(' ')) || ids.has(words[0]!), `${m[0]} in: ${row}`)
      }
  })
})
