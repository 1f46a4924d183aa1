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

describe('shell completion', () => {
  let box: Sandbox
  before(() => { box = sandbox() })
  after(async () => box.cleanup())

  it('bash completes command names and flags from `kafkit autocomplete` (cache kept in the test\'s own HOME)', async () => {
    const env = { ...box.env, HOME: box.home, XDG_CACHE_HOME: join(box.home, 'cache') }
    const setup = await run(process.execPath, [bin, 'autocomplete', '--refresh-cache'], env, 60_000)
    assert.equal(setup.code, 0, setup.stderr)
    const complete = (line: string) => {
      const words = line.split(' ')
      return run('bash', ['-c', `source "$(${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} autocomplete script bash | sed -n 's/^KAFKIT_AC_BASH_SETUP_PATH=\\([^ ]*\\).*/\\1/p')"
COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
_kafkit_autocomplete; echo "\${COMPREPLY[@]}"`], env, 60_000)
    }
    assert.equal((await complete('kafkit console-con')).stdout.trim(), 'console-consumer')
    assert.deepEqual((await complete('kafkit console-consumer --from')).stdout.trim().split(' ').sort(), ['--from-beginning', '--from-time'])
    const zsh = await run(process.execPath, [bin, 'autocomplete', 'script', 'zsh'], env, 60_000)
    assert.equal(zsh.code, 0, zsh.stderr)
    assert.match(zsh.stdout, /kafkit autocomplete setup|compinit|fpath/)
  })
})
