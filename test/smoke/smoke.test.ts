import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { KAFKA_4, freePorts, json, kcatConsume, sandbox, type Sandbox } from '../e2e/helpers.js'

/**
 * The real-Kafka smoke test that scripts/node-matrix.sh runs on every Node version we support: the built CLI, run by
 * the Node running this test (process.execPath), brings up Kafka in KRaft mode, produces, consumes in a group,
 * describes the group and stops, with kcat (librdkafka) as the independent check of what was written.
 * KAFKIT_SMOKE_NODE (set by the matrix, e.g. "v24.22.3") makes sure the intended Node is the one running.
 */
describe(`smoke on Node ${process.version}: up, produce, consume, groups --describe, down (Kafka ${KAFKA_4} KRaft)`, () => {
  const stack = ['--stack', 'smoke']
  const records = Array.from({ length: 20 }, (_, i) => [`k${i}`, `value-${i}`] as const)
  let box: Sandbox
  let bootstrap: string

  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it('runs on the Node the matrix asked for', async () => {
    if (process.env.KAFKIT_SMOKE_NODE) assert.equal(process.version, process.env.KAFKIT_SMOKE_NODE)
    const version = await box.kafkit(['--version'])
    assert.equal(version.code, 0, version.stderr)
    assert.match(version.stdout, new RegExp(`^kafkit/\\S+ linux-x64 node-${process.version.replace(/\./g, '\\.')}\\n$`))
  })

  it('up starts a KRaft stack and reports it ready', async () => {
    const port = await freePorts(1)
    const controller = await freePorts(1)
    const result = await box.kafkit([
      'up',
      ...stack,
      '--runtime',
      'dist',
      '--version',
      KAFKA_4,
      '--mode',
      'kraft',
      '--port',
      String(port),
      '--controller-port',
      String(controller),
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const up = json(result)
    assert.equal(up.kafkaVersion, KAFKA_4)
    assert.equal(up.mode, 'kraft')
    assert.equal(up.bootstrapServers, `127.0.0.1:${port}`)
    assert.ok(up.nodes.length > 0 && up.nodes.every((n: { alive: boolean }) => n.alive), JSON.stringify(up.nodes))
    bootstrap = up.bootstrapServers
  })

  it('console-producer writes keyed records that kcat reads back', async () => {
    const created = await box.kafkit(['topics', ...stack, '--create', '--topic', 'smoke', '--partitions', '3'])
    assert.equal(created.code, 0, created.stderr)
    const input = records.map(([k, v]) => `${k}:${v}\n`).join('')
    const produced = await box.kafkit(
      [
        'console-producer',
        ...stack,
        '--topic',
        'smoke',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
      ],
      { input },
    )
    assert.equal(produced.code, 0, produced.stderr)
    const read = await kcatConsume(bootstrap, 'smoke')
    assert.deepEqual([...read].sort(), records.map(([, v]) => v).sort())
  })

  it('console-consumer in a group prints every record with its key and commits', async () => {
    const consumed = await box.kafkit([
      'console-consumer',
      ...stack,
      '--topic',
      'smoke',
      '--group',
      'smoke-group',
      '--from-beginning',
      '--exit-at-end',
      '--property',
      'print.key=true',
      '--property',
      'key.separator=:',
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    const lines = consumed.stdout.split('\n').filter(Boolean)
    assert.deepEqual([...lines].sort(), records.map(([k, v]) => `${k}:${v}`).sort())
  })

  it('consumer-groups --describe shows the group caught up on every partition', async () => {
    const result = await box.kafkit(['consumer-groups', ...stack, '--describe', '--group', 'smoke-group', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const described = json(result)
    const group = described.groups.find((g: { group: string }) => g.group === 'smoke-group')
    assert.ok(group, JSON.stringify(described))
    const partitions = group.partitions
      .filter((p: { topic: string }) => p.topic === 'smoke')
      .map((p: { partition: number; currentOffset: number; logEndOffset: number; lag: number }) => [
        p.partition,
        p.currentOffset,
        p.logEndOffset,
        p.lag,
      ])
      .sort((a: number[], b: number[]) => a[0]! - b[0]!)
    assert.deepEqual(
      partitions.map((p: number[]) => p[0]),
      [0, 1, 2],
    )
    for (const [partition, current, end, lag] of partitions) {
      assert.equal(current, end, `partition ${partition}: committed ${current}, end ${end}`)
      assert.equal(lag, 0)
    }
    assert.equal(
      partitions.reduce((sum: number, p: number[]) => sum + p[2]!, 0),
      records.length,
    )
    const table = await box.kafkit(['consumer-groups', ...stack, '--describe', '--group', 'smoke-group'])
    assert.equal(table.code, 0, table.stderr)
    assert.match(table.stdout, /^smoke-group\s+smoke\s+0\s+\d+\s+\d+\s+0\b/m)
  })

  it('down stops every process', async () => {
    const result = await box.kafkit(['down', ...stack, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const down = json(result)
    assert.ok(
      down.processes.length > 0 && down.processes.every((p: { result: string }) => p.result === 'stopped'),
      JSON.stringify(down),
    )
    const status = json(await box.kafkit(['status', ...stack, '--json']))
    assert.equal(status.running, false)
  })
})
