/**
 * kafkit's generated codec against Kafka's own: every API (request and response) and data message at every
 * version is written by kafkit from sample data, then parsed and re-serialized by Kafka's generated Java classes in
 * the pinned kafka-clients jar (test/fixtures/protocol/KafkaReencode.java). Kafka must read every byte and write the
 * same bytes back. Needs Java and the jar that scripts/fetch-kafka.sh installs.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { defaultLibs, PROTOCOL_KAFKA_VERSION } from '../../scripts/gen-protocol.js'
import type { AnyApi, DataCodec } from '../../src/protocol/api.js'
import { Writer } from '../../src/protocol/primitives.js'
import { kebab, loadMessageModules, range, sample, specs } from './protocol-samples.js'

const libs = defaultLibs()
const jar = join(libs, `kafka-clients-${PROTOCOL_KAFKA_VERSION}.jar`)

describe("generated codec against Kafka's Java classes", () => {
  it(
    'Kafka reads every message kafkit writes, at every version, and writes the same bytes back',
    { skip: existsSync(jar) ? false : `${jar} not fetched yet (scripts/fetch-kafka.sh installs it)`, timeout: 120_000 },
    async () => {
      const modules = await loadMessageModules()
      const lines: string[] = []
      for (const spec of specs) {
        const request = spec.type === 'request'
        const response = spec.type === 'response'
        const base = spec.name.replace(/(Request|Response)$/, '')
        const write =
          request || response
            ? (() => {
                const api = modules.get(`${kebab(base)}.ts`)![base] as AnyApi
                return request ? api.writeRequest : api.writeResponse
              })()
            : (modules.get(`${kebab(spec.name)}.ts`)![`${spec.name}Codec`] as DataCodec<unknown, unknown>).write
        // Kafka's generated class: <Name>Data for requests, responses and headers, <Name> for data messages.
        const javaClass = spec.type === 'data' ? spec.name : `${spec.name}Data`
        for (const v of range(spec.validVersions)) {
          const w = new Writer()
          write(w, v, sample(spec, spec.fields, v, { n: v * 7 }))
          lines.push(`${javaClass} ${v} ${Buffer.from(w.finish()).toString('hex')}`)
        }
      }
      const slf4j = readdirSync(libs).find((f) => /^slf4j-api-.*\.jar$/.test(f))
      const output = execFileSync(
        'java',
        [
          '-cp',
          [jar, ...(slf4j ? [join(libs, slf4j)] : [])].join(':'),
          new URL('../fixtures/protocol/KafkaReencode.java', import.meta.url).pathname,
        ],
        {
          input: lines.join('\n') + '\n',
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
          stdio: ['pipe', 'pipe', 'ignore'],
        },
      )
      const answers = output.trim().split('\n')
      assert.equal(answers.length, lines.length)
      const mismatches = answers.filter((answer, i) => answer !== lines[i]).map((answer) => answer.slice(0, 200))
      assert.ok(lines.length > 500, `only ${lines.length} message versions`)
      assert.deepEqual(mismatches, [], `${mismatches.length} of ${lines.length} message versions differ`)
    },
  )
})
