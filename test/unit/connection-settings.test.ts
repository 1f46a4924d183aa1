import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { connectionFromFlags } from '../../src/connection/settings.js'

describe('connectionFromFlags: TLS trust from Kafka client properties', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-settings-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
  const caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, pem)
  const connect = (properties: string[]) =>
    connectionFromFlags({ 'bootstrap-server': '127.0.0.1:9093', 'command-property': properties }, {})

  it('reads ssl.truststore.location when ssl.truststore.type=PEM (Kafka spelling)', () => {
    const settings = connect(['security.protocol=SSL', 'ssl.truststore.type=PEM', `ssl.truststore.location=${caFile}`])
    assert.deepEqual(settings.ssl, { rejectUnauthorized: true, ca: [pem] })
  })

  it('reads ssl.ca.location (librdkafka spelling) as before', () => {
    const settings = connect(
      ['security.protocol=SASL_SSL', `ssl.ca.location=${caFile}`, 'sasl.mechanism=PLAIN'].concat([
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
      ]),
    )
    assert.deepEqual(settings.ssl, { rejectUnauthorized: true, ca: [pem] })
    assert.deepEqual(settings.sasl, { mechanism: 'plain', username: 'u', password: 'p' })
  })

  it('refuses a JKS or PKCS12 trust store instead of silently ignoring it', () => {
    for (const type of [undefined, 'JKS', 'PKCS12']) {
      assert.throws(
        () =>
          connect([
            'security.protocol=SSL',
            `ssl.truststore.location=${join(dir, 'truststore')}`,
            ...(type ? [`ssl.truststore.type=${type}`] : []),
          ]),
        {
          message: `ssl.truststore.type ${type ?? 'JKS'} is not supported: kafkit reads PEM trust stores (ssl.truststore.type=PEM).`,
        },
      )
    }
  })

  it('names ssl.truststore.location when its file cannot be read', () => {
    const missing = join(dir, 'missing.pem')
    assert.throws(
      () => connect(['security.protocol=SSL', 'ssl.truststore.type=PEM', `ssl.truststore.location=${missing}`]),
      { message: `Cannot read ssl.truststore.location file ${missing}.` },
    )
  })
})
