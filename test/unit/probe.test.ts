import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { createServer as createTlsServer } from 'node:tls'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { unreachable } from '../../src/cluster/unreachable.js'
import {
  apiVersionsRequest,
  classifyReply,
  connectOrExplain,
  PROBE_CORRELATION_ID,
  probeServer,
  stackWithControllerPort,
  type ServerReport,
  type Verdict,
} from '../../src/cluster/probe.js'

/** An ApiVersions v0 response: size, correlation id, error code, [api_key, min, max]. */
function kafkaReply(keys: number[], errorCode = 0, correlationId = PROBE_CORRELATION_ID): Buffer {
  const body = Buffer.alloc(10 + keys.length * 6)
  body.writeInt32BE(correlationId, 0)
  body.writeInt16BE(errorCode, 4)
  body.writeInt32BE(keys.length, 6)
  keys.forEach((key, i) => {
    body.writeInt16BE(key, 10 + i * 6)
    body.writeInt16BE(0, 12 + i * 6)
    body.writeInt16BE(9, 14 + i * 6)
  })
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

// What Kafka 3.9/4.x list on each listener (abridged): a controller serves the quorum APIs and Fetch, never Metadata.
const BROKER_KEYS = [0, 1, 2, 3, 8, 9, 10, 11, 18, 19, 20, 32, 60]
const CONTROLLER_KEYS = [1, 7, 18, 52, 53, 54, 55, 56, 57, 58, 60, 62, 64, 67]

describe('apiVersionsRequest', () => {
  it('is ApiVersions v0 with a correlation id that ends a line for line-based servers', () => {
    const bytes = apiVersionsRequest('kafkit')
    assert.equal(
      bytes.toString('hex'),
      `00000010${'0012'}${'0000'}0d0a0d0a0006${Buffer.from('kafkit').toString('hex')}`,
    )
    assert.equal(bytes.readInt32BE(0), bytes.length - 4)
  })
})

describe('classifyReply', () => {
  const cases: Array<[string, Buffer, boolean, Verdict | undefined]> = [
    [
      'an HTTP status line',
      Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'),
      false,
      { kind: 'not-kafka', looksLike: 'an HTTP server', detail: 'HTTP/1.1 400 Bad Request' },
    ],
    [
      'an HTTP/0.9 error page (Python http.server)',
      Buffer.from('<!DOCTYPE HTML>\n<html lang="en">'),
      false,
      { kind: 'not-kafka', looksLike: 'an HTTP server', detail: '<!DOCTYPE HTML>' },
    ],
    [
      'an SSH banner',
      Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'),
      false,
      { kind: 'not-kafka', looksLike: 'an SSH server', detail: 'SSH-2.0-OpenSSH_9.6' },
    ],
    [
      'a TLS alert',
      Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]),
      true,
      { kind: 'not-kafka', looksLike: 'a TLS listener', detail: 'a TLS record' },
    ],
    [
      'a line of text',
      Buffer.from('-ERR unknown command\r\n'),
      false,
      { kind: 'not-kafka', detail: 'it replied "-ERR unknown command"' },
    ],
    [
      'binary garbage',
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]),
      false,
      { kind: 'not-kafka', detail: 'it replied with 9 byte(s) that are not a Kafka response' },
    ],
    [
      'a hang-up without a byte',
      Buffer.alloc(0),
      true,
      { kind: 'not-kafka', detail: 'it closed the connection without answering' },
    ],
    ['nothing yet', Buffer.alloc(0), false, undefined],
    ['the start of "HTTP/"', Buffer.from('HTT'), false, undefined],
    ['a broker', kafkaReply(BROKER_KEYS), false, { kind: 'broker' }],
    ['a KRaft controller', kafkaReply(CONTROLLER_KEYS), false, { kind: 'controller' }],
    [
      'a broker refusing v0 (UNSUPPORTED_VERSION, only its ApiVersions range)',
      kafkaReply([18], 35),
      false,
      { kind: 'broker' },
    ],
    ['half a Kafka response', kafkaReply(BROKER_KEYS).subarray(0, 20), false, undefined],
    [
      'half a Kafka response, then a hang-up',
      kafkaReply(BROKER_KEYS).subarray(0, 20),
      true,
      { kind: 'not-kafka', detail: 'it replied with 20 byte(s) that are not a Kafka response' },
    ],
    ['the first bytes of a Kafka response', kafkaReply(BROKER_KEYS).subarray(0, 6), false, undefined],
    [
      'another correlation id',
      kafkaReply(BROKER_KEYS, 0, 7),
      false,
      {
        kind: 'not-kafka',
        detail: `it replied with ${kafkaReply(BROKER_KEYS).length} byte(s) that are not a Kafka response`,
      },
    ],
  ]
  for (const [label, reply, ended, expected] of cases)
    it(label, () => assert.deepEqual(classifyReply(reply, ended), expected))
})

describe('unreachable: the message names what answered', () => {
  const settings = { servers: ['127.0.0.1:9093'], source: { kind: 'flag' as const } }
  const kafkajsError = new Error('Broker not connected')
  const at = (verdict: Verdict, extra: Partial<ServerReport> = {}): ServerReport[] => [
    { server: '127.0.0.1:9093', verdict, ...extra },
  ]
  it('nothing listening', () => {
    const error = unreachable(settings, kafkajsError, at({ kind: 'unreachable', reason: 'connection refused' }))
    assert.equal(error.message, 'Cannot reach Kafka at 127.0.0.1:9093 (--bootstrap-server): connection refused')
    assert.equal(error.code, 'UNREACHABLE')
  })
  it('an HTTP server', () => {
    const error = unreachable(
      settings,
      kafkajsError,
      at({ kind: 'not-kafka', looksLike: 'an HTTP server', detail: 'HTTP/1.1 400' }),
    )
    assert.equal(error.message, '127.0.0.1:9093 answered, but not as Kafka (it looks like an HTTP server)')
    assert.equal(error.code, 'NOT_KAFKA')
  })
  it('something else', () => {
    const error = unreachable(
      settings,
      kafkajsError,
      at({ kind: 'not-kafka', detail: 'it closed the connection without answering' }),
    )
    assert.equal(
      error.message,
      '127.0.0.1:9093 answered, but not as Kafka (not a Kafka broker: it closed the connection without answering)',
    )
  })
  it('a TLS listener suggests security.protocol=SSL', () => {
    const error = unreachable(
      settings,
      kafkajsError,
      at({ kind: 'not-kafka', looksLike: 'a TLS listener', detail: 'a TLS record' }),
    )
    assert.match(error.suggestions.join('\n'), /security\.protocol=SSL/)
  })
  it('a controller port of a local stack names its broker listener', () => {
    const error = unreachable(
      settings,
      kafkajsError,
      at({ kind: 'controller' }, { stack: { name: 'ux', bootstrapServers: '127.0.0.1:29092' } }),
    )
    assert.equal(error.message, '127.0.0.1:9093 is a KRaft controller port, not a broker listener')
    assert.deepEqual(error.suggestions, ['use 127.0.0.1:29092, the broker listener of stack ux'])
    assert.equal(error.code, 'CONTROLLER_PORT')
  })
  it('a silent server', () => {
    const error = unreachable(settings, kafkajsError, at({ kind: 'silent', timeoutMs: 3000, handshake: false }))
    assert.match(
      error.message,
      /^Cannot reach Kafka at 127\.0\.0\.1:9093 \(--bootstrap-server\): 127\.0\.0\.1:9093 accepted the connection but did not answer .* within 3s/,
    )
  })
  it("a broker anywhere in the list: kafkajs's own error (SASL, metadata ...) is the story", () => {
    const reports: ServerReport[] = [
      { server: '127.0.0.1:9093', verdict: { kind: 'unreachable', reason: 'connection refused' } },
      { server: '127.0.0.1:9092', verdict: { kind: 'broker' } },
    ]
    const error = unreachable(
      { ...settings, servers: ['127.0.0.1:9093', '127.0.0.1:9092'] },
      new Error('SASL authentication failed'),
      reports,
    )
    assert.equal(
      error.message,
      'Cannot reach Kafka at 127.0.0.1:9093,127.0.0.1:9092 (--bootstrap-server): SASL authentication failed',
    )
  })
  it('a broker that refused the SASL credentials: an authentication error, not "cannot reach"', () => {
    const refused = Object.assign(new Error('SASL PLAIN authentication failed: Invalid username or password'), {
      name: 'KafkaJSSASLAuthenticationError',
    })
    for (const error of [refused, Object.assign(new Error('Connection error'), { originalError: refused })]) {
      const result = unreachable(settings, error, at({ kind: 'broker' }))
      assert.equal(
        result.message,
        'Authentication failed at 127.0.0.1:9093 (--bootstrap-server): SASL PLAIN authentication failed: Invalid username or password',
      )
      assert.equal(result.code, 'AUTH_FAILED')
      assert.match(result.suggestions[0]!, /sasl\.jaas\.config/)
    }
  })
  it('in a list, the wrong kind of server is named before a closed port', () => {
    const reports: ServerReport[] = [
      { server: '127.0.0.1:9092', verdict: { kind: 'unreachable', reason: 'connection refused' } },
      { server: '127.0.0.1:9093', verdict: { kind: 'controller' } },
    ]
    assert.match(unreachable(settings, kafkajsError, reports).message, /^127\.0\.0\.1:9093 is a KRaft controller port/)
  })
  it("without a probe: kafkajs's message, as before", () => {
    assert.equal(
      unreachable(settings, kafkajsError).message,
      'Cannot reach Kafka at 127.0.0.1:9093 (--bootstrap-server): Broker not connected',
    )
  })
})

describe('probeServer against local servers', () => {
  const servers: Server[] = []
  const sockets = new Set<Socket>()
  const listen = async (server: Server): Promise<string> => {
    servers.push(server)
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  /** A fake Kafka listener answering the probe with the given API keys once the whole request has arrived. */
  const fakeKafka = (keys: number[]) =>
    createServer((socket) => {
      let got = Buffer.alloc(0)
      socket.on('data', (chunk) => {
        got = Buffer.concat([got, chunk])
        if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0))
          socket.write(kafkaReply(keys, 0, got.readInt32BE(8)))
      })
    })
  after(() => {
    for (const socket of sockets) socket.destroy()
    for (const server of servers) server.close()
  })

  it('a closed port: refused, at once', async () => {
    const server = createServer()
    const address = await listen(server)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const started = Date.now()
    assert.deepEqual(await probeServer(address, { timeoutMs: 2000 }), {
      kind: 'unreachable',
      reason: 'connection refused',
    })
    assert.ok(Date.now() - started < 1000)
  })
  it('node:http', async () => {
    const verdict = await probeServer(await listen(createHttpServer((_, res) => res.end('hi'))), { timeoutMs: 2000 })
    assert.equal(verdict.kind === 'not-kafka' && verdict.looksLike, 'an HTTP server')
  })
  it('a server that hangs up', async () => {
    const verdict = await probeServer(await listen(createServer((socket) => socket.destroy())), { timeoutMs: 2000 })
    assert.equal(verdict.kind, 'not-kafka')
  })
  it('a server that never answers: silent after the timeout', async () => {
    const started = Date.now()
    assert.deepEqual(await probeServer(await listen(createServer(() => {})), { timeoutMs: 300 }), {
      kind: 'silent',
      timeoutMs: 300,
      handshake: false,
    })
    assert.ok(Date.now() - started < 1500)
  })
  it('a broker and a controller', async () => {
    assert.deepEqual(await probeServer(await listen(fakeKafka(BROKER_KEYS)), { timeoutMs: 2000 }), { kind: 'broker' })
    assert.deepEqual(await probeServer(await listen(fakeKafka(CONTROLLER_KEYS)), { timeoutMs: 2000 }), {
      kind: 'controller',
    })
  })
  it('with TLS settings, a plaintext server fails the handshake (it is not probed as plaintext)', async () => {
    const verdict = await probeServer(await listen(createHttpServer((_, res) => res.end('hi'))), {
      timeoutMs: 2000,
      ssl: true,
    })
    assert.equal(verdict.kind, 'tls-failed')
  })

  it('over TLS (security.protocol SSL): the probe speaks TLS, and a certificate problem is named as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-probe-tls-'))
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      )
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => {
        socket.once('data', (request: Buffer) => socket.write(kafkaReply(BROKER_KEYS, 0, request.readInt32BE(8))))
      })
      const address = await listen(server as unknown as Server)
      assert.deepEqual(await probeServer(address, { timeoutMs: 2000, ssl: { ca: [cert] } }), { kind: 'broker' })
      const untrusted = await probeServer(address, { timeoutMs: 2000, ssl: true })
      assert.equal(untrusted.kind, 'tls-failed')
      assert.match(untrusted.kind === 'tls-failed' ? untrusted.reason : '', /self.signed/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('connectOrExplain: a connect that hangs at an HTTP server ends after the timeout with the HTTP message', async () => {
    const address = await listen(createHttpServer((_, res) => res.end('hi')))
    let aborted = false
    const started = Date.now()
    await assert.rejects(
      connectOrExplain(
        { servers: [address], source: { kind: 'flag' } },
        300,
        new Promise(() => {}),
        async () => {
          aborted = true
        },
        (error, reports) => unreachable({ servers: [address], source: { kind: 'flag' } }, error, reports),
      ),
      { message: `${address} answered, but not as Kafka (it looks like an HTTP server)` },
    )
    assert.ok(aborted)
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`)
  })
  it('connectOrExplain: a slow connect to a real broker is waited for', async () => {
    const address = await listen(fakeKafka(BROKER_KEYS))
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('connected'), 600))
    assert.equal(
      await connectOrExplain(
        { servers: [address], source: { kind: 'flag' } },
        200,
        slow,
        async () => {},
        () => new Error('no'),
      ),
      'connected',
    )
  })
})

describe('stackWithControllerPort', () => {
  let home: string
  const saved = process.env.KAFKIT_HOME
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'kafkit-probe-'))
    process.env.KAFKIT_HOME = home
    mkdirSync(join(home, 'stacks', 'ux'), { recursive: true })
    writeFileSync(
      join(home, 'stacks', 'ux', 'state.json'),
      JSON.stringify({
        stack: 'ux',
        bootstrapServers: '127.0.0.1:29092',
        nodes: [{ name: 'kafka-1', role: 'combined', nodeId: 1, port: 29092, controllerPort: 30092 }],
      }),
    )
  })
  after(() => {
    if (saved === undefined) delete process.env.KAFKIT_HOME
    else process.env.KAFKIT_HOME = saved
    rmSync(home, { recursive: true, force: true })
  })
  it('finds the stack by its controller port on a local address', () => {
    assert.deepEqual(stackWithControllerPort('127.0.0.1:30092'), { name: 'ux', bootstrapServers: '127.0.0.1:29092' })
    assert.deepEqual(stackWithControllerPort('localhost:30092'), { name: 'ux', bootstrapServers: '127.0.0.1:29092' })
  })
  it('not another port or a remote host', () => {
    assert.equal(stackWithControllerPort('127.0.0.1:29092'), undefined)
    assert.equal(stackWithControllerPort('kafka.example.com:30092'), undefined)
  })
})
