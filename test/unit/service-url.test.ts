import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseServiceUrl, resolveServiceUrl } from '../../src/connection/services.js'
import { KafkitError, UsageError } from '../../src/errors.js'
import { saveState, type StackState } from '../../src/model/state.js'

describe('service URLs (Connect, Schema Registry)', () => {
  it('flag, then environment variable, then the local stack', () => {
    const home = mkdtempSync(join(tmpdir(), 'kafkit-svc-'))
    const saved = process.env.KAFKIT_HOME
    process.env.KAFKIT_HOME = home
    try {
      const flag = '--schema-registry-url'
      assert.deepEqual(resolveServiceUrl('schema-registry', { url: 'http://h:1/', flag }, {}), {
        url: 'http://h:1',
        source: { kind: 'flag' },
      })
      assert.deepEqual(
        resolveServiceUrl('schema-registry', { flag }, { KAFKIT_SCHEMA_REGISTRY_URL: 'https://r:8081' }),
        { url: 'https://r:8081', source: { kind: 'env', variable: 'KAFKIT_SCHEMA_REGISTRY_URL' } },
      )
      assert.throws(
        () => resolveServiceUrl('connect', { flag: '--url', stack: 'nope' }, {}),
        (error: unknown) =>
          error instanceof KafkitError &&
          error.code === 'NO_SERVICE_URL' &&
          /kafkit up --with connect --stack nope/.test(String(error.suggestions)),
      )
      saveState({
        stack: 'svc',
        services: [{ name: 'connect', port: 18083 }],
      } as unknown as StackState)
      assert.deepEqual(resolveServiceUrl('connect', { flag: '--url', stack: 'svc' }, {}), {
        url: 'http://127.0.0.1:18083',
        source: { kind: 'stack', stack: 'svc' },
      })
    } finally {
      if (saved === undefined) delete process.env.KAFKIT_HOME
      else process.env.KAFKIT_HOME = saved
    }
  })
  it('refuses what is not an http(s) URL', () => {
    assert.throws(() => parseServiceUrl('localhost:8081', '--url'), UsageError)
    assert.throws(() => parseServiceUrl('ftp://h:1', '--url'), /only http/)
  })
})
