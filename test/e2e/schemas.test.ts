/**
 * Schema Registry formats end to end: a 4.4.0 stack and Apicurio Registry (its Confluent API, /apis/ccompat/v7).
 * kafkit's producer writes Avro, Protobuf (with an import) and JSON Schema (with a $ref) records that an independent
 * client decodes (kafkajs with @kafkajs/confluent-schema-registry, which shares no code with kafkit), and kafkit's
 * consumer decodes records that client wrote; compatibility checks and registrations answer as the registry says; a bad
 * input line is named with its field; an unknown schema id is a per-record error; the schema-registry commands and
 * every example of docs/schemas.md run.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import csr from '@kafkajs/confluent-schema-registry'
import { freePorts, json, kafkaClient, repoRoot, run, sandbox, startStack, type Sandbox } from './helpers.js'

const { SchemaRegistry, SchemaType } = csr
const CCOMPAT = '/apis/ccompat/v7'

const encodeId = (id: number) => [...Buffer.from([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255])]
const withMessageIndex = (record: Buffer) =>
  Buffer.concat([record.subarray(0, 5), Buffer.from([0]), record.subarray(5)])

const ORDER_AVSC = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
}
const ORDER_V2 = { ...ORDER_AVSC, fields: [...ORDER_AVSC.fields, { name: 'currency', type: 'string', default: 'EUR' }] }
const ORDER_BAD = { ...ORDER_AVSC, fields: [...ORDER_AVSC.fields, { name: 'customer', type: 'string' }] }
const COMMON_PROTO = `syntax = "proto3";
package shop.common;
message Money { string currency = 1; int64 cents = 2; }
`
const PAYMENT_PROTO = `syntax = "proto3";
package shop;
import "common.proto";
message Payment {
  string id = 1;
  shop.common.Money amount = 2;
  Status status = 3;
  enum Status { PENDING = 0; DONE = 1; }
}
`
/** Two top-level messages, the first with a nested one: --value-message picks Item ([1]) or Order.Line ([0, 0]). */
const SHOP_PROTO = `syntax = "proto3";
package shop;
message Order {
  string id = 1;
  message Line { string product = 1; int32 count = 2; }
  repeated Line lines = 2;
}
message Item { string sku = 1; int32 qty = 2; }
`
const USER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'User',
  type: 'object',
  properties: { name: { type: 'string' }, address: { $ref: '#/definitions/Address' } },
  required: ['name'],
  definitions: { Address: { type: 'object', properties: { zip: { type: 'string' } }, required: ['zip'] } },
}

describe('schema registry formats (4.4.0 + Apicurio Registry)', { timeout: 150_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  let registry: { url: string }
  let dir: string
  let env: NodeJS.ProcessEnv
  let client: InstanceType<typeof SchemaRegistry>
  const kafkit = (args: string[], input = '') => box.kafkit(args, { env, input, timeoutMs: 60_000 })

  /** Every record of the topics, read by kafkajs directly and decoded by the independent registry client. */
  async function independentRead(
    topics: string[],
    count: number,
    decode: (value: Buffer) => unknown = (value) => client.decode(value),
  ): Promise<Map<string, unknown[]>> {
    const consumer = kafkaClient(bootstrap).consumer({ groupId: `independent-${Date.now()}` })
    const found = new Map<string, unknown[]>(topics.map((t) => [t, []]))
    let total = 0
    await consumer.connect()
    try {
      for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true })
      const done = new Promise<void>((resolve, reject) => {
        void consumer.run({
          eachMessage: async ({ topic, message }) => {
            try {
              found.get(topic)!.push(await decode(message.value!))
              if (++total >= count) resolve()
            } catch (error) {
              reject(error as Error)
            }
          },
        })
      })
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error('independent read timed out')), 30_000)),
      ])
    } finally {
      await consumer.disconnect()
    }
    return found
  }

  before(async () => {
    box = sandbox()
    dir = join(box.home, 'work')
    mkdirSync(join(dir, 'proto'), { recursive: true })
    // The stack's own registry (`up --with schema-registry`, Apicurio installed into the cache on first use); kafkit
    // finds it through the stack, the independent client through its URL.
    const registryPort = await freePorts(1)
    bootstrap = await startStack(box, {
      upArgs: ['--with', 'schema-registry', '--schema-registry-port', String(registryPort)],
    })
    registry = { url: `http://127.0.0.1:${registryPort}${CCOMPAT}` }
    env = { KAFKIT_STACK: 'test' }
    client = new SchemaRegistry({ host: registry.url })
    writeFileSync(join(dir, 'order.avsc'), JSON.stringify(ORDER_AVSC, null, 2))
    writeFileSync(join(dir, 'order-v2.avsc'), JSON.stringify(ORDER_V2, null, 2))
    writeFileSync(join(dir, 'order-bad.avsc'), JSON.stringify(ORDER_BAD, null, 2))
    writeFileSync(join(dir, 'proto', 'common.proto'), COMMON_PROTO)
    writeFileSync(join(dir, 'proto', 'payment.proto'), PAYMENT_PROTO)
    writeFileSync(join(dir, 'proto', 'shop.proto'), SHOP_PROTO)
    writeFileSync(join(dir, 'user.schema.json'), JSON.stringify(USER_SCHEMA, null, 2))
  })

  after(async () => {
    await box?.cleanup()
  })

  it('records kafkit produces as Avro, Protobuf and JSON Schema are decoded by an independent client', async () => {
    const avro = await kafkit(
      ['console-producer', 'orders', '--value-format', 'avro', '--value-schema', join(dir, 'order.avsc')],
      '{"id": 1, "amount": 9.5, "note": null, "at": 1700000000000}\n{"id": 2, "amount": 3, "note": {"string": "gift"}, "at": 1700000000001}\n',
    )
    assert.equal(avro.code, 0, avro.stderr)
    const proto = await kafkit(
      [
        'console-producer',
        'payments',
        '--value-format',
        'protobuf',
        '--value-schema',
        join(dir, 'proto', 'payment.proto'),
      ],
      '{"id": "p1", "amount": {"currency": "EUR", "cents": "1250"}, "status": "DONE"}\n',
    )
    assert.equal(proto.code, 0, proto.stderr)
    const jsonSchema = await kafkit(
      ['console-producer', 'users', '--value-format', 'json-schema', '--value-schema', join(dir, 'user.schema.json')],
      '{"name": "ann", "address": {"zip": "1000"}}\n',
    )
    assert.equal(jsonSchema.code, 0, jsonSchema.stderr)

    const read = await independentRead(['orders', 'payments', 'users'], 4)
    const orders = read.get('orders') as Array<Record<string, unknown>>
    assert.deepEqual(
      orders.map((o) => [Number(o.id), o.amount, o.note, Number(o.at)]),
      [
        [1, 9.5, null, 1700000000000],
        [2, 3, 'gift', 1700000000001],
      ],
    )
    const payment = read.get('payments')![0] as {
      id: string
      amount: { currency: string; cents: unknown }
      status: number
    }
    assert.equal(payment.id, 'p1')
    assert.equal(payment.amount.currency, 'EUR')
    assert.equal(String(payment.amount.cents), '1250')
    assert.equal(payment.status, 1)
    assert.deepEqual(read.get('users'), [{ name: 'ann', address: { zip: '1000' } }])
    // The import went in as a reference, registered under its import path.
    const subjects = json<{ subjects: string[] }>(await kafkit(['schema-registry', 'subjects', '--json'])).subjects
    assert.deepEqual(subjects, ['common.proto', 'orders-value', 'payments-value', 'users-value'])
  })

  it('kafkit decodes records an independent client wrote, by the schema id in each', async () => {
    const { id: avroId } = await client.register(
      {
        type: SchemaType.AVRO,
        schema: JSON.stringify({ type: 'record', name: 'Ping', fields: [{ name: 'n', type: 'int' }] }),
      },
      { subject: 'mixed-value' },
    )
    const { id: jsonId } = await client.register(
      { type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { ok: { type: 'boolean' } } }) },
      { subject: 'mixed-json-value' },
    )
    const { id: protoId } = await client.register(
      { type: SchemaType.PROTOBUF, schema: 'syntax = "proto3";\nmessage Pong { int32 n = 1; string s = 2; }\n' },
      { subject: 'mixed-proto-value' },
    )
    const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    await producer.send({
      topic: 'mixed',
      acks: -1,
      messages: [
        { key: 'a', value: await client.encode(avroId, { n: 7 }) },
        { key: 'j', value: await client.encode(jsonId, { ok: true }) },
        // @kafkajs/confluent-schema-registry 3.x writes Protobuf without the message indexes Confluent's serializers
        // (and kafkit) put after the header, so the test adds them ([0]: one 0 byte), as a Java or Go client would write.
        { key: 'p', value: withMessageIndex(await client.encode(protoId, { n: 3, s: 'x' })) },
        // An id the registry never gave: a per-record error, the next record still printed.
        { key: 'u', value: Buffer.from([0, 0, 0, 0x7f, 0xff, 1, 2]) },
        { key: 'a2', value: await client.encode(avroId, { n: 8 }) },
      ],
    })
    await producer.disconnect()
    const out = await kafkit([
      'console-consumer',
      'mixed',
      '--from-beginning',
      '--exit-at-end',
      '--value-format',
      'avro',
      '--json',
    ])
    assert.equal(out.code, 0, out.stderr)
    const records = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: unknown })
    assert.deepEqual(
      records.map((r) => [r.key, r.value]),
      [
        ['a', { n: 7 }],
        ['j', { ok: true }],
        ['p', { n: 3, s: 'x' }],
        ['a2', { n: 8 }],
      ],
    )
    assert.match(out.stderr, /mixed-0 offset 3: cannot decode the value: schema id 32767 is not in the Schema Registry/)
    // Confluent's script name and --property spellings: the value decoded by the registry, the key printed.
    const confluent = await kafkit([
      'kafka-avro-console-consumer',
      '--bootstrap-server',
      bootstrap,
      '--topic',
      'mixed',
      '--from-beginning',
      '--max-messages',
      '1',
      '--property',
      `schema.registry.url=${registry.url}`,
      '--property',
      'print.key=true',
    ])
    assert.equal(confluent.code, 0, confluent.stderr)
    assert.equal(confluent.stdout, 'a\t{"n":7}\n')
    // Raw bytes on request.
    const raw = await kafkit([
      'console-consumer',
      'mixed',
      '--from-beginning',
      '--max-messages',
      '1',
      '--value-format',
      'bytes',
      '--json',
    ])
    const rawValue = (JSON.parse(raw.stdout) as { value: string | { base64: string } }).value
    const rawBytes = typeof rawValue === 'string' ? Buffer.from(rawValue) : Buffer.from(rawValue.base64, 'base64')
    assert.deepEqual([...rawBytes.subarray(0, 5)], [0, ...encodeId(avroId)])
  })

  it('Protobuf: --value-message writes the chosen message and its indexes; the consumer decodes by them', async () => {
    const produce = (message: string, line: string) =>
      kafkit(
        [
          'console-producer',
          'items',
          '--value-format',
          'protobuf',
          '--value-schema',
          join(dir, 'proto', 'shop.proto'),
          '--value-message',
          message,
        ],
        `${line}\n`,
      )
    const item = await produce('shop.Item', '{"sku": "x1", "qty": 2}')
    assert.equal(item.code, 0, item.stderr)
    assert.match(item.stderr, /message shop\.Item \[1\]/)
    const line = await produce('Line', '{"product": "p", "count": 3}')
    assert.equal(line.code, 0, line.stderr)
    const unknown = await produce('Nope', '{}')
    assert.equal(unknown.code, 2, unknown.stderr)
    assert.match(unknown.stderr, /The Protobuf schema has no message "Nope"/)
    assert.match(unknown.stderr, /shop\.Order, shop\.Order\.Line, shop\.Item/)

    // The bytes, read by kafkajs and decoded by protobufjs directly: header, Confluent's message indexes, message.
    const protobuf = (await import('protobufjs')).default
    const root = protobuf.parse(SHOP_PROTO).root
    const raw = await independentRead(['items'], 2, (value) => {
      const indexes = [...value.subarray(5, value[5] === 2 ? 7 : 8)]
      const type = root.lookupType(indexes.length === 2 ? 'shop.Item' : 'shop.Order.Line')
      return {
        id: value.readUInt32BE(1),
        indexes,
        message: type.toObject(type.decode(value.subarray(5 + indexes.length))),
      }
    })
    const [first, second] = raw.get('items') as Array<{ id: number; indexes: number[]; message: unknown }>
    assert.deepEqual([first!.indexes, first!.message], [[2, 2], { sku: 'x1', qty: 2 }])
    // count 2, then 0 and 0 (zigzag): Order (message 0), its first nested message.
    assert.deepEqual([second!.indexes, second!.message], [[4, 0, 0], { product: 'p', count: 3 }])
    // One schema (items-value), two messages of it.
    assert.equal(first!.id, second!.id)

    const out = await kafkit([
      'console-consumer',
      'items',
      '--from-beginning',
      '--exit-at-end',
      '--value-format',
      'protobuf',
    ])
    assert.equal(out.code, 0, out.stderr)
    assert.equal(out.stdout, '{"sku":"x1","qty":2}\n{"product":"p","count":3}\n')
  })

  it('a bad input line names its line and field, and nothing after it is sent', async () => {
    const result = await kafkit(
      ['console-producer', 'bad-orders', '--value-format', 'avro', '--value-schema', join(dir, 'order.avsc')],
      '{"id": 1, "amount": 1, "at": 1}\n{"id": 2, "amount": "abc", "at": 1}\n{"id": 3, "amount": 1, "at": 1}\n',
    )
    assert.equal(result.code, 2, result.stderr)
    assert.match(
      result.stderr,
      /Line 2: the value does not match schema id \d+: field "amount": expected double, got "abc" \(1 record\(s\) before it were sent\)/,
    )
    const out = await kafkit([
      'console-consumer',
      'bad-orders',
      '--from-beginning',
      '--exit-at-end',
      '--value-format',
      'avro',
    ])
    assert.equal(out.stdout, '{"id":1,"amount":1,"note":null,"at":1}\n')
    // Asked to go on: the bad line is reported and skipped, the others sent.
    const skipping = await kafkit(
      ['console-producer', 'bad-orders', '--value-format', 'avro', '--property', 'ignore.error=true'],
      '{"id": 2, "amount": "abc", "at": 1}\n{"id": 3, "amount": 1, "at": 1}\n',
    )
    assert.equal(skipping.code, 0, skipping.stderr)
    assert.match(skipping.stderr, /Line 1: the value does not match schema id \d+: field "amount".*skipped/)
    // Confluent's producer spellings: the schema inline, keys parsed (a string key beside an Avro value).
    const confluent = await kafkit(
      [
        'kafka-avro-console-producer',
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'bad-orders',
        '--property',
        `schema.registry.url=${registry.url}`,
        '--property',
        `value.schema=${JSON.stringify(ORDER_AVSC)}`,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
      ],
      'k9:{"id": 9, "amount": 2.5, "at": 5}\n',
    )
    assert.equal(confluent.code, 0, confluent.stderr)
  })

  it('compatible and incompatible changes behave as the registry says', async () => {
    const subject = 'orders-value'
    assert.equal((await kafkit(['schema-registry', 'compatibility', subject, '--set', 'BACKWARD'])).code, 0)
    const level = json(await kafkit(['sr', 'compatibility', subject, '--json']))
    assert.deepEqual(level, { subject, compatibility: 'BACKWARD' })
    const good = await kafkit(['schema-registry', 'check', subject, join(dir, 'order-v2.avsc'), '--json'])
    assert.equal(good.code, 0, good.stderr)
    assert.equal(json(good).compatible, true)
    const bad = await kafkit(['schema-registry', 'check', subject, join(dir, 'order-bad.avsc')])
    assert.equal(bad.code, 1, bad.stderr)
    assert.match(bad.stdout, /NOT compatible with orders-value/)
    const refused = await kafkit(['schema-registry', 'register', subject, join(dir, 'order-bad.avsc')])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /not compatible with subject "orders-value"/)
    const registered = json(
      await kafkit(['schema-registry', 'register', subject, join(dir, 'order-v2.avsc'), '--json']),
    )
    assert.equal(registered.version, 2)
    // The producer takes the latest version of TOPIC-value when given no schema, with auto-registration off.
    const latest = await kafkit(
      ['console-producer', 'orders', '--value-format', 'avro', '--no-auto-register'],
      '{"id": 5, "amount": 1, "at": 2}\n',
    )
    assert.equal(latest.code, 0, latest.stderr)
    const out = await kafkit([
      'console-consumer',
      'orders',
      '--from-beginning',
      '--exit-at-end',
      '--value-format',
      'avro',
    ])
    assert.equal(out.stdout.trim().split('\n')[2], '{"id":5,"amount":1,"note":null,"at":2,"currency":"EUR"}')
  })

  it('schema-registry subjects, versions, get, delete', async () => {
    assert.deepEqual(json(await kafkit(['sr', 'versions', 'orders-value', '--json'])).versions, [1, 2])
    const got = await kafkit(['schema-registry', 'get', 'orders-value', '1'])
    assert.match(got.stdout, /^SUBJECT\s+VERSION\s+ID\s+TYPE\norders-value\s+1\s+\d+\s+AVRO\n/)
    const id = json(await kafkit(['schema-registry', 'get', 'orders-value', '--json'])).id as number
    const byId = await kafkit(['schema-registry', 'get', '--id', String(id), '--print-schema'])
    assert.deepEqual(JSON.parse(byId.stdout), ORDER_V2)
    const soft = json(await kafkit(['schema-registry', 'delete', 'users-value', '--json']))
    assert.deepEqual(soft, { subject: 'users-value', versions: [1], permanent: false })
    assert.ok(!json(await kafkit(['sr', 'subjects', '--json'])).subjects.includes('users-value'))
    assert.ok(json(await kafkit(['sr', 'subjects', '--deleted', '--json'])).subjects.includes('users-value'))
    assert.equal((await kafkit(['schema-registry', 'delete', 'users-value', '--permanent'])).code, 0)
    assert.ok(!json(await kafkit(['sr', 'subjects', '--deleted', '--json'])).subjects.includes('users-value'))
    const missing = await kafkit(['schema-registry', 'versions', 'nope-value'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /The Schema Registry has no subject "nope-value"/)
  })

  it('every example in docs/schemas.md runs', async () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'schemas.md'), 'utf8')
    const examples = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
      m[1]!.split('\n').filter((l) => l.startsWith('kafkit ') || l.includes('| kafkit ')),
    )
    assert.ok(examples.length >= 8, `examples found: ${examples.length}`)
    const bin = join(repoRoot, 'bin', 'run.js')
    for (const example of examples) {
      const result = await run(
        'bash',
        ['-c', `cd ${dir} && kafkit() { node ${bin} "$@"; }\nset -o pipefail\n${example}`],
        { ...box.env, ...env, KAFKIT_STACK: 'test' },
        60_000,
        '',
      )
      assert.equal(result.code, 0, `${example}\n${result.stderr}`)
    }
  })
})
