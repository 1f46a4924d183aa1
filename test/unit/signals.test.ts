/**
 * handleInterrupts through real processes and real signals: the first signal starts the stop, a second one or the
 * grace period ends the process at once with 130, even while its stdout is a pipe nobody reads.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, it } from 'node:test'
import { errorJson, errorText } from '../../src/base-command.js'
import { InterruptedError } from '../../src/errors.js'
import { formatConsumeProgress, formatProduceProgress } from '../../src/records/summary.js'
import { runStoppable } from '../../src/signals.js'

const child = new URL('../fixtures/signals/interrupt-child.ts', import.meta.url).pathname

function start(args: string[]) {
  // stdout is piped and never read: a stalled pipe, as `| less` left alone.
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout.pause()
  let stderr = ''
  proc.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  )
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 20_000
    while (!stderr.includes(text)) {
      assert.ok(Date.now() < deadline, `no "${text}" in: ${stderr}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const within = async (ms: number) => {
    const outcome = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(r, ms))])
    if (!outcome) proc.kill('SIGKILL')
    assert.ok(outcome, `still running after ${ms} ms: ${stderr}`)
    return outcome
  }
  return { proc, stderr: () => stderr, waitFor, within }
}

describe('handleInterrupts', () => {
  it('a second SIGINT exits at once with 130 and says what was done, even with stdout stalled', async () => {
    const c = start(['none', 'stall'])
    await c.waitFor('ready')
    c.proc.kill('SIGINT')
    await c.waitFor('stopping')
    const second = Date.now()
    c.proc.kill('SIGINT')
    const outcome = await c.within(5000)
    assert.equal(outcome.code, 130)
    assert.ok(outcome.at - second < 2000, `${outcome.at - second} ms`)
    assert.match(c.stderr(), /^Interrupted again: exiting now \(3 record\(s\) printed\)\.$/m)
  })

  it('one SIGTERM exits with 130 when the stop outlasts the grace period', async () => {
    const c = start(['300', 'stall'])
    await c.waitFor('ready')
    const sent = Date.now()
    c.proc.kill('SIGTERM')
    const outcome = await c.within(5000)
    assert.equal(outcome.code, 130)
    assert.ok(outcome.at - sent >= 250, `exited after ${outcome.at - sent} ms, before the grace period`)
    assert.match(c.stderr(), /^Stopping took longer than 0\.3 s: exiting now \(3 record\(s\) printed\)\.$/m)
  })

  it('without a grace period one signal only starts the stop', async () => {
    const c = start(['none'])
    await c.waitFor('ready')
    c.proc.kill('SIGINT')
    await c.waitFor('stopping')
    await new Promise((r) => setTimeout(r, 700))
    assert.equal(c.proc.exitCode, null, 'exited after one signal')
    c.proc.kill('SIGTERM')
    assert.equal((await c.within(5000)).code, 130)
  })
})

describe('what an interrupted command says', () => {
  it('an InterruptedError is one plain line (no "Error:"), exit 130, with its suggestions', () => {
    const error = new InterruptedError('Interrupted: stopped the 1 process(es) this start launched.', {
      suggestions: ['Stop it: kafkit down --stack x'],
    })
    assert.equal(
      errorText(error),
      'Interrupted: stopped the 1 process(es) this start launched.\nTry: Stop it: kafkit down --stack x\n',
    )
    assert.deepEqual([errorJson(error).error.code, errorJson(error).error.exitCode], ['INTERRUPTED', 130])
  })

  const cases: Array<[string, Parameters<typeof formatConsumeProgress>[0], string]> = [
    ['no group', { records: 1200 }, '1,200 record(s) printed'],
    [
      'a group, nothing committed yet',
      { records: 3, group: 'g', committed: [] },
      '3 record(s) printed, no offset committed by this run',
    ],
    [
      'a group',
      { records: 12, group: 'g', committed: [{ topic: 'orders', partition: 0, offset: '12' }] },
      '12 record(s) printed, offsets committed up to orders-0 at 12',
    ],
    [
      'many partitions',
      {
        records: 9,
        group: 'g',
        committed: [0, 1, 2, 3, 4].map((p) => ({ topic: 't', partition: p, offset: String(p) })),
      },
      '9 record(s) printed, offsets committed up to t-0 at 0, t-1 at 1, t-2 at 2 and 2 more partition(s)',
    ],
  ]
  for (const [name, input, expected] of cases)
    it(`consumer progress: ${name}`, () => assert.equal(formatConsumeProgress(input), expected))

  it('producer progress names what was abandoned and the line to resend from', () => {
    assert.equal(
      formatProduceProgress({ records: 1000, acknowledged: 998, failed: 0, notSent: 2, firstUnacknowledgedLine: 999 }),
      '998 of 1,000 record(s) acknowledged, 2 abandoned; resend from input line 999',
    )
    assert.equal(
      formatProduceProgress({ records: 5, acknowledged: 5, failed: 0, notSent: 0 }),
      '5 of 5 record(s) acknowledged, 0 abandoned',
    )
  })
})

describe('runStoppable', () => {
  it('stops the work through its control, also when Ctrl-C came before the control existed', async () => {
    const stops: string[] = []
    // Emitted, not sent: the listeners run as for a real signal (the real ones are tested above through processes).
    const early = await runStoppable(
      async (onControl) => {
        process.emit('SIGINT')
        onControl({ stop: () => stops.push('early') })
        return 'early done'
      },
      { graceMs: null },
    )
    assert.equal(early, 'early done')
    assert.deepEqual(stops, ['early'])
    const untouched = await runStoppable(async (onControl) => {
      onControl({ stop: () => stops.push('never') })
      return 'no signal'
    })
    assert.equal(untouched, 'no signal')
    assert.deepEqual(stops, ['early'], 'no signal, no stop')
  })
})
