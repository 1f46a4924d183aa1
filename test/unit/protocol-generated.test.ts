/**
 * The committed protocol code (src/protocol/messages, apis.ts, errors.ts and the round-trip fixture) must be what
 * scripts/gen-protocol.ts makes from the pinned kafka-clients jar today: regenerate in memory and compare.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { defaultLibs, generateFormatted, PROTOCOL_KAFKA_VERSION, staleFiles } from '../../scripts/gen-protocol.js'
import { DEFAULT_KAFKA_VERSION } from '../../src/model/versions.js'

const jar = join(defaultLibs(), `kafka-clients-${PROTOCOL_KAFKA_VERSION}.jar`)

describe('generated protocol code', () => {
  it('is generated from the Kafka version kafkit runs by default', () => {
    assert.equal(PROTOCOL_KAFKA_VERSION, DEFAULT_KAFKA_VERSION)
  })

  it(
    'is current with the pinned kafka-clients jar',
    { skip: existsSync(jar) ? false : `${jar} not fetched yet (scripts/fetch-kafka.sh installs it)`, timeout: 120_000 },
    async () => {
      const files = await generateFormatted(defaultLibs())
      assert.ok(files.size > 100, `only ${files.size} files generated`)
      assert.deepEqual(staleFiles(files), [], 'run npm run gen:protocol and commit the result')
    },
  )
})
