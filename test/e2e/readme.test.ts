import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePorts, repoRoot, run, sandbox, type Sandbox } from './helpers.js'

/** The README's "A first session" block, run line by line as a user would (only the ports differ, for isolation). */
function firstSession(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const section = readme.split('## A first session')[1]!
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
}

describe('README: a first session', () => {
  let box: Sandbox
  let port: number
  let controllerPort: number
  before(async () => {
    box = sandbox()
    port = await freePorts(1)
    controllerPort = await freePorts(1)
  })
  after(async () => box.cleanup())

  const outputs: Record<string, string> = {}
  for (const line of firstSession()) {
    it(line, async () => {
      const command = line.startsWith('kafkit up') ? `${line} --port ${port} --controller-port ${controllerPort}` : line
      const script = `kafkit() { "${process.execPath}" "${join(repoRoot, 'bin', 'run.js')}" "$@"; }\nset -o pipefail\n${command}`
      const result = await run('bash', ['-c', script], box.env, 120_000)
      assert.equal(result.code, 0, `${command}\n${result.stdout}\n${result.stderr}`)
      outputs[line] = result.stdout
    })
  }

  it('printed what the README promises', () => {
    const consume = Object.entries(outputs).find(([l]) => l.startsWith('kafkit console-consumer'))?.[1]
    // The two keys land on different partitions of the 3-partition topic: order across partitions is not defined.
    assert.deepEqual(consume?.split('\n').filter(Boolean).sort(), ['k1\thello', 'k2\tworld'])
    const status = Object.entries(outputs).find(([l]) => l.startsWith('kafkit status'))?.[1]
    assert.match(status ?? '', /kafka-1\s+combined\s+1\s+\d+/)
  })
})
