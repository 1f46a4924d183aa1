import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileSchema, messageIndexesOf, protobufMessages } from '../../src/schemas/codecs.js'
import {
  basicAuth,
  parseFormat,
  schemaTypeOf,
  scriptFormat,
  serdeSpec,
  splitSchemaProperties,
} from '../../src/schemas/formats.js'
import { plainDecode, plainEncoder } from '../../src/schemas/serde.js'
import { parseReference } from '../../src/schemas/service.js'
import { checkText, schemaTable } from '../../src/schemas/views.js'
import { decodeMessageIndexes, decodeWire, encodeMessageIndexes, encodeWire } from '../../src/schemas/wire.js'

describe('wire format', () => {
  it('is magic byte 0, the id big-endian, then the payload', () => {
    const bytes = encodeWire(0x01020304, Buffer.from('abc'))
    assert.deepEqual([...bytes], [0, 1, 2, 3, 4, 0x61, 0x62, 0x63])
    assert.deepEqual(decodeWire(bytes), { id: 0x01020304, payload: Buffer.from('abc') })
  })

  it('refuses bytes that are not in it', () => {
    assert.throws(() => decodeWire(Buffer.from('hello')), /first byte 104, expected the magic byte 0/)
    assert.throws(() => decodeWire(Buffer.from([0, 1])), /less than the 5-byte header/)
  })

  it('writes Protobuf message indexes as zigzag varints, [0] as one 0 byte', () => {
    const cases: Array<[number[], number[]]> = [
      [[0], [0]],
      [[1], [2, 2]],
      [
        [0, 1],
        [4, 0, 2],
      ],
      [
        [2, 0, 70],
        [6, 4, 0, 0x8c, 0x01],
      ],
    ]
    for (const [indexes, bytes] of cases) {
      assert.deepEqual([...encodeMessageIndexes(indexes)], bytes, JSON.stringify(indexes))
      const decoded = decodeMessageIndexes(Buffer.from([...bytes, 0xaa]))
      assert.deepEqual(decoded, { indexes, offset: bytes.length })
    }
    assert.deepEqual([...encodeWire(7, Buffer.from([9]), [1])], [0, 0, 0, 0, 7, 2, 2, 9])
    assert.throws(() => decodeMessageIndexes(Buffer.from([4, 0])), /truncated/)
  })
})

describe('formats and flags', () => {
  it('parses the Confluent CLI format names', () => {
    assert.equal(parseFormat('AVRO', '--value-format'), 'avro')
    assert.equal(parseFormat('jsonschema', '--value-format'), 'json-schema')
    assert.equal(parseFormat(undefined, '--value-format'), undefined)
    assert.throws(() => parseFormat('xml', '--key-format'), /Unknown --key-format "xml"/)
  })

  it("takes Confluent's --property spellings out of the reader's properties", () => {
    const { schema, rest } = splitSchemaProperties([
      'schema.registry.url=http://r:8081',
      'value.schema={"type":"string"}',
      'parse.key=true',
      'key.separator=:',
      'key.schema.id=4',
    ])
    assert.deepEqual(rest, ['parse.key=true', 'key.separator=:'])
    assert.deepEqual(schema, {
      'schema.registry.url': 'http://r:8081',
      'value.schema': '{"type":"string"}',
      'key.schema.id': '4',
    })
    const spec = serdeSpec({}, schema)!
    assert.equal(spec.registryUrl, 'http://r:8081')
    assert.equal(spec.autoRegister, true)
    assert.deepEqual(spec.key, { id: 4 })
    assert.deepEqual(spec.value, { text: '{"type":"string"}' })
    assert.throws(() => serdeSpec({}, { 'value.schema.id': '4', 'value.schema': '"string"' }), /Give one schema/)
    assert.throws(() => serdeSpec({}, { 'value.schema.id': 'x' }), /expected a schema id/)
  })

  it('is nothing at all for plain string records', () => {
    assert.equal(serdeSpec({}, {}), undefined)
    assert.equal(serdeSpec({ 'value-format': 'string' }, {}), undefined)
    assert.deepEqual(serdeSpec({ 'key-format': 'long' }, {})?.key, { format: 'long' })
  })

  it('refuses two schemas for one side, or a schema for a plain format', () => {
    assert.throws(
      () => serdeSpec({ 'value-schema': 'a.avsc', 'value-schema-id': 3 }, {}),
      /one schema for the value, not --value-schema-id and --value-schema/,
    )
    assert.throws(() => serdeSpec({ 'value-format': 'int', 'value-schema': 'a.avsc' }, {}), /takes no schema/)
    assert.throws(() => serdeSpec({ 'value-schema-version': 'x', 'value-format': 'avro' }, {}), /expected a version/)
  })

  it('turns auto-registration off by flag or property', () => {
    assert.equal(serdeSpec({ 'value-format': 'avro', 'auto-register': false }, {})!.autoRegister, false)
    assert.equal(serdeSpec({ 'value-format': 'avro' }, { 'auto.register.schemas': 'false' })!.autoRegister, false)
  })

  it('reads basic auth as Confluent clients do', () => {
    assert.equal(basicAuth({}, { 'basic.auth.user.info': 'u:p' }), 'u:p')
    assert.equal(
      basicAuth({}, { 'basic.auth.credentials.source': 'USER_INFO', 'schema.registry.basic.auth.user.info': 'a:b' }),
      'a:b',
    )
    assert.equal(basicAuth({}, { 'basic.auth.credentials.source': 'URL', 'basic.auth.user.info': 'u:p' }), undefined)
    assert.equal(basicAuth({ 'schema-registry-api-key': 'k', 'schema-registry-api-secret': 's' }, {}), 'k:s')
    assert.throws(() => basicAuth({ 'schema-registry-api-key': 'k' }, {}), /go together/)
    assert.throws(() => basicAuth({}, { 'basic.auth.credentials.source': 'SASL_INHERIT' }), /Unsupported/)
    assert.throws(() => basicAuth({}, { 'basic.auth.user.info': 'nopassword' }), /USER:PASSWORD/)
  })

  it('recognises a schema type from the file name or text', () => {
    assert.equal(schemaTypeOf('{}', 'a.proto'), 'PROTOBUF')
    assert.equal(schemaTypeOf('syntax = "proto3"; message A {}'), 'PROTOBUF')
    assert.equal(schemaTypeOf('{"type":"record","name":"A","fields":[]}'), 'AVRO')
    assert.equal(schemaTypeOf('"string"'), 'AVRO')
    assert.equal(schemaTypeOf('{"$schema":"http://json-schema.org/draft-07/schema#"}'), 'JSON')
    assert.equal(schemaTypeOf('{"type":"object","properties":{}}'), 'JSON')
  })

  it("knows the format of Confluent's script names", () => {
    assert.equal(scriptFormat(['kafka-avro-console-consumer', '--topic', 't']), 'avro')
    assert.equal(scriptFormat(['kafka-json-schema-console-producer']), 'json-schema')
    assert.equal(scriptFormat(['console-consumer']), undefined)
    assert.equal(serdeSpec({}, {}, {}, 'protobuf')?.value.format, 'protobuf')
  })

  it('parses references', () => {
    assert.deepEqual(parseReference('common.proto=common:3'), { name: 'common.proto', subject: 'common', version: 3 })
    assert.throws(() => parseReference('common.proto'), /NAME=SUBJECT:VERSION/)
  })
})

describe('plain formats', () => {
  it("encode as Kafka's serializers and decode back", () => {
    assert.deepEqual([...plainEncoder('int')(Buffer.from('-2'), 1, 'key')], [0xff, 0xff, 0xff, 0xfe])
    assert.deepEqual([...plainEncoder('long')(Buffer.from('1'), 1, 'key')], [0, 0, 0, 0, 0, 0, 0, 1])
    assert.equal(plainDecode(plainEncoder('double')(Buffer.from('2.5'), 1, 'value'), 'double').text, '2.5')
    assert.equal(plainDecode(Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]), 'long').text, '9')
    assert.throws(() => plainEncoder('int')(Buffer.from('x'), 4, 'key'), /Line 4: the key "x" is not an int/)
    assert.throws(() => plainEncoder('int')(Buffer.from('3000000000'), 1, 'key'), /not an int \(32 bits\)/)
    assert.throws(() => plainEncoder('json')(Buffer.from('{'), 2, 'value'), /Line 2: the value is not valid JSON/)
    assert.throws(() => plainDecode(Buffer.from([1, 2]), 'int'), /2 byte\(s\), a int has 4/)
  })
})

describe('schemas compiled', () => {
  const order = JSON.stringify({
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'note', type: ['null', 'string'], default: null },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'item', type: { type: 'record', name: 'Item', fields: [{ name: 'qty', type: 'int' }] } },
    ],
  })

  it('Avro: JSON encoding (wrapped unions) and plain values in, JSON encoding out; errors name the field', async () => {
    const avro = await compileSchema({ type: 'AVRO', schema: order, references: [] })
    const wrapped = avro.encode({ id: 1, note: { string: 'x' }, at: 5, item: { qty: 2 } }).payload
    const plain = avro.encode({ id: 1, note: 'x', at: 5, item: { qty: 2 } }).payload
    assert.deepEqual(wrapped, plain)
    assert.deepEqual(avro.decode(wrapped), { id: 1, note: { string: 'x' }, at: 5, item: { qty: 2 } })
    assert.throws(
      () => avro.encode({ id: 1, at: 5, item: { qty: 'two' } }),
      /field "item.qty": expected int, got "two"/,
    )
    assert.throws(() => avro.encode({ id: 1, at: 5 }), /field "item"/)
  })

  it('Avro references resolve named types', async () => {
    const item = JSON.stringify({
      type: 'record',
      name: 'Item',
      namespace: 'x',
      fields: [{ name: 'qty', type: 'int' }],
    })
    const box = JSON.stringify({
      type: 'record',
      name: 'Box',
      namespace: 'x',
      fields: [{ name: 'item', type: 'x.Item' }],
    })
    const compiled = await compileSchema({ type: 'AVRO', schema: box, references: [{ name: 'x.Item', schema: item }] })
    assert.deepEqual(compiled.decode(compiled.encode({ item: { qty: 3 } }).payload), { item: { qty: 3 } })
  })

  it('Protobuf: imports, message indexes, JSON mapping checks', async () => {
    const common = 'syntax = "proto3";\npackage c;\nmessage Money { int64 cents = 1; }\n'
    const main =
      'syntax = "proto3";\npackage m;\nimport "common.proto";\nimport "google/protobuf/timestamp.proto";\nmessage First { c.Money price = 1; Kind kind = 2; google.protobuf.Timestamp at = 3; repeated string tags = 4; enum Kind { A = 0; B = 1; } message Inner { string s = 1; } }\nmessage Second { string name = 1; }\n'
    const proto = await compileSchema({
      type: 'PROTOBUF',
      schema: main,
      references: [{ name: 'common.proto', schema: common }],
    })
    const { payload, messageIndexes } = proto.encode({
      price: { cents: '12' },
      kind: 'B',
      at: '2024-05-01T10:00:00.25Z',
      tags: ['t'],
    })
    assert.deepEqual(messageIndexes, [0])
    assert.deepEqual(proto.decode(Buffer.concat([encodeMessageIndexes([0]), payload])), {
      price: { cents: '12' },
      kind: 'B',
      at: '2024-05-01T10:00:00.25Z',
      tags: ['t'],
    })
    // Index [1] is the second top-level message, [0, 0] the first one's nested message.
    const protobuf = (await import('protobufjs')).default
    const second = protobuf
      .parse(main.replace('import "common.proto";', '').replace('c.Money', 'string'))
      .root.lookupType('m.Second')
    const bytes = Buffer.from(second.encode(second.fromObject({ name: 'n' })).finish())
    assert.deepEqual(proto.decode(Buffer.concat([encodeMessageIndexes([1]), bytes])), { name: 'n' })
    assert.throws(() => proto.encode({ price: { cents: 'x' } }), /field "price.cents": expected an integer \(int64\)/)
    assert.throws(() => proto.encode({ nope: 1 }), /field "nope": no such field in First/)
    assert.throws(() => proto.encode({ kind: 'C' }), /field "kind": expected one of A, B/)
    assert.throws(() => proto.encode({ at: 'yesterday' }), /field "at": expected an RFC 3339 time/)
  })

  it('Protobuf: --value-message picks the message and its indexes (second top-level, nested)', async () => {
    const schema =
      'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; enum Kind { A = 0; } message Line { string sku = 1; message Note { string text = 1; } } message Gift { string to = 1; } }\nmessage Item { string sku = 1; int32 qty = 2; }\n'
    const protobuf = (await import('protobufjs')).default
    const messages = protobufMessages(protobuf.parse(schema))
    // Enums do not count: Line is nested message 0 of Order, Gift nested message 1.
    assert.deepEqual(messages, [
      { name: 'shop.Order', indexes: [0] },
      { name: 'shop.Order.Line', indexes: [0, 0] },
      { name: 'shop.Order.Line.Note', indexes: [0, 0, 0] },
      { name: 'shop.Order.Gift', indexes: [0, 1] },
      { name: 'shop.Item', indexes: [1] },
    ])
    for (const [name, indexes] of [
      ['shop.Item', [1]],
      ['.shop.Item', [1]],
      ['Item', [1]],
      ['Order.Gift', [0, 1]],
      ['Gift', [0, 1]],
      ['shop.Order.Line.Note', [0, 0, 0]],
      ['Note', [0, 0, 0]],
    ] as const)
      assert.deepEqual(messageIndexesOf(messages, name), indexes, name)
    assert.throws(
      () => messageIndexesOf(messages, 'Nope'),
      (error: Error & { suggestions?: string[] }) =>
        /has no message "Nope"/.test(error.message) &&
        /shop\.Order, shop\.Order\.Line, shop\.Order\.Line\.Note, shop\.Order\.Gift, shop\.Item/.test(
          error.suggestions?.join() ?? '',
        ),
    )
    // "Line" is not a top-level message: a nested name starts at one.
    assert.throws(() => messageIndexesOf(messages, 'shop.Line'), /has no message "shop.Line"/)
    const ambiguous = protobufMessages(
      protobuf.parse('syntax = "proto3";\nmessage A { message X {} }\nmessage B { message X {} }\n'),
    )
    assert.throws(() => messageIndexesOf(ambiguous, 'X'), /"X" is ambiguous in the Protobuf schema: A\.X, B\.X/)

    // Encoded with the chosen message; the indexes go on the wire as Confluent writes them, and decode back.
    const item = await compileSchema({ type: 'PROTOBUF', schema, references: [] }, { message: 'Item' })
    assert.deepEqual(item.message, { name: 'shop.Item', indexes: [1] })
    const encoded = item.encode({ sku: 'x1', qty: 2 })
    assert.deepEqual(encoded.messageIndexes, [1])
    const wire = encodeWire(7, encoded.payload, encoded.messageIndexes)
    // count 1, index 1, both zigzag: 2, 2.
    assert.deepEqual([...wire.subarray(5, 7)], [2, 2])
    assert.deepEqual(item.decode(decodeWire(wire).payload), { sku: 'x1', qty: 2 })
    assert.throws(() => item.encode({ id: 'o' }), /field "id": no such field in Item/)
    const note = await compileSchema({ type: 'PROTOBUF', schema, references: [] }, { message: 'Note' })
    const nested = note.encode({ text: 't' })
    assert.deepEqual(nested.messageIndexes, [0, 0, 0])
    assert.deepEqual([...encodeMessageIndexes(nested.messageIndexes!)], [6, 0, 0, 0])
    assert.deepEqual(note.decode(Buffer.concat([encodeMessageIndexes([0, 0, 0]), nested.payload])), { text: 't' })
    // The default stays the first message ([0], one 0 byte), as Confluent's serializer does.
    const first = await compileSchema({ type: 'PROTOBUF', schema, references: [] })
    assert.deepEqual(first.message, { name: 'shop.Order', indexes: [0] })
    await assert.rejects(
      compileSchema({ type: 'PROTOBUF', schema, references: [] }, { message: 'Nope' }),
      /has no message "Nope"/,
    )
  })

  it('serdeSpec: --value-message is for Protobuf', () => {
    assert.equal(serdeSpec({ 'value-format': 'protobuf', 'value-message': 'Item' }, {})?.value.message, 'Item')
    assert.throws(
      () => serdeSpec({ 'value-format': 'avro', 'value-message': 'Item' }, {}),
      /--value-message names a Protobuf message; --value-format is avro/,
    )
  })

  it('JSON Schema: $ref, errors with the path', async () => {
    const schema = JSON.stringify({
      type: 'object',
      properties: { a: { $ref: '#/definitions/A' } },
      definitions: { A: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
    })
    const compiled = await compileSchema({ type: 'JSON', schema, references: [] })
    assert.deepEqual(compiled.decode(compiled.encode({ a: { n: 1 } }).payload), { a: { n: 1 } })
    assert.throws(() => compiled.encode({ a: { n: 'x' } }), /field "a.n": must be integer/)
    assert.throws(() => compiled.encode({ a: {} }), /field "a.n": must have required property 'n'/)
  })

  it('a schema the library refuses is a usage error', async () => {
    await assert.rejects(
      compileSchema({ type: 'AVRO', schema: '{"type":"nope"}', references: [] }),
      /Invalid AVRO schema/,
    )
  })
})

describe('views', () => {
  it('render a schema and a check', () => {
    assert.equal(
      schemaTable({ subject: 's', version: 2, id: 7, schemaType: 'AVRO', schema: '"string"', references: [] }),
      'SUBJECT  VERSION  ID  TYPE\ns        2        7   AVRO',
    )
    assert.equal(
      checkText({ subject: 's', version: 'latest', compatible: false, messages: ['field x'] }),
      'NOT compatible with s version latest.\n  field x',
    )
  })
})
