/**
 * `kafkit install kafka` through the built CLI (run `npm run build` first). Every run gets its own
 * KAFKIT_HOME/KAFKIT_CACHE. The apache source is exercised against a local HTTP server acting as a mirror;
 * the maven source uses the real Maven Central (fast once ~/.m2 has the jars).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const cli = join(repo, 'bin', 'run.js')
const scratch = mkdtempSync(join(tmpdir(), 'kafkit-install-e2e-'))

interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs the CLI with an isolated home and cache; `env` entries override (PATH included). */
async function kafkit(args: string[], options: { cache: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const result = await execa(process.execPath, [cli, ...args], {
    reject: false,
    env: {
      KAFKIT_HOME: join(options.cache, 'home'),
      KAFKIT_CACHE: options.cache,
      KAFKIT_APACHE_MIRROR: '',
      KAFKIT_MAVEN_REPO: '',
      NO_COLOR: '1',
      ...options.env,
    },
    timeout: 300_000,
  })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

function freshCache(name: string): string {
  const dir = join(scratch, name)
  mkdirSync(dir, { recursive: true })
  return dir
}

function cacheEntries(cache: string): string[] {
  const dir = join(cache, 'kafka')
  return existsSync(dir) ? readdirSync(dir) : []
}

/** A directory shaped like the official kafka_2.13-<version>/ (the jar's bytes do not matter to install). */
function fakeDistribution(parent: string, version: string): string {
  const home = join(parent, `kafka_2.13-${version}`)
  mkdirSync(join(home, 'libs'), { recursive: true })
  mkdirSync(join(home, 'bin'), { recursive: true })
  mkdirSync(join(home, 'config'), { recursive: true })
  writeFileSync(join(home, 'libs', `kafka_2.13-${version}.jar`), `fake kafka ${version} jar`)
  writeFileSync(join(home, 'libs', 'kafka-clients-fake.jar'), 'fake clients jar')
  for (const script of ['kafka-run-class.sh', 'kafka-topics.sh']) {
    writeFileSync(join(home, 'bin', script), `#!/bin/sh\necho ${version}\n`)
    chmodSync(join(home, 'bin', script), 0o755)
  }
  writeFileSync(join(home, 'config', 'server.properties'), 'process.roles=broker,controller\n')
  return home
}

async function tarball(version: string): Promise<Buffer> {
  const dir = join(scratch, `tar-src-${version}`)
  fakeDistribution(dir, version)
  const file = join(scratch, `kafka_2.13-${version}.tgz`)
  await execa('tar', ['-czf', file, '-C', dir, `kafka_2.13-${version}`])
  return readFileSync(file)
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex')

/** `gpg --print-md SHA512` layout: upper case, 8-char groups, wrapped. */
function gpgStyle(fileName: string, hex: string): string {
  const groups = hex.toUpperCase().match(/.{8}/g)!
  const indent = ' '.repeat(fileName.length + 2)
  return `${fileName}: ${groups.slice(0, 6).join(' ')}\n${indent}${groups.slice(6, 12).join(' ')}\n${indent}${groups.slice(12).join(' ')}\n`
}

before(() => {
  if (!existsSync(join(repo, 'dist', 'command-index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the e2e tests')
  }
})
after(() => rmSync(scratch, { recursive: true, force: true }))

describe('install kafka --source apache (local mirror)', () => {
  const routes = new Map<string, Buffer | string>()
  const requests: string[] = []
  let server: Server
  let mirror: string

  before(async () => {
    const good = await tarball('3.9.2')
    routes.set('/kafka/3.9.2/kafka_2.13-3.9.2.tgz', good)
    routes.set('/kafka/3.9.2/kafka_2.13-3.9.2.tgz.sha512', `${sha512(good)}  kafka_2.13-3.9.2.tgz\n`)
    const gpg = await tarball('3.9.1')
    routes.set('/kafka/3.9.1/kafka_2.13-3.9.1.tgz', gpg)
    routes.set('/kafka/3.9.1/kafka_2.13-3.9.1.tgz.sha512', gpgStyle('kafka_2.13-3.9.1.tgz', sha512(gpg)))
    const tampered = await tarball('3.8.0')
    routes.set('/kafka/3.8.0/kafka_2.13-3.8.0.tgz', tampered)
    routes.set(
      '/kafka/3.8.0/kafka_2.13-3.8.0.tgz.sha512',
      `${sha512(Buffer.from('something else'))}  kafka_2.13-3.8.0.tgz\n`,
    )
    server = createServer((request, response) => {
      requests.push(request.url ?? '')
      const body = routes.get(request.url ?? '')
      if (body === undefined) {
        response.writeHead(404).end('Not Found')
        return
      }
      response.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kafka`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('downloads, verifies and installs; --list --json shows it; a second install is a no-op', async () => {
    const cache = freshCache('apache-ok')
    const install = await kafkit(['install', 'kafka', '--version', '3.9.2', '--mirror', mirror], { cache })
    assert.equal(install.exitCode, 0, install.stderr)
    const home = join(cache, 'kafka', '3.9.2')
    assert.match(install.stdout, new RegExp(`Installed Kafka 3\\.9\\.2 \\(apache\\) at ${home}`))
    assert.equal(statSync(join(home, 'bin', 'kafka-topics.sh')).mode & 0o100, 0o100, 'bin scripts stay executable')
    assert.ok(existsSync(join(home, 'config', 'server.properties')))
    const record = JSON.parse(readFileSync(join(home, '.kafkit-install.json'), 'utf8'))
    assert.equal(record.sha512, sha512(routes.get('/kafka/3.9.2/kafka_2.13-3.9.2.tgz') as Buffer))
    assert.equal(record.origin, `${mirror}/3.9.2/kafka_2.13-3.9.2.tgz`)

    const list = await kafkit(['install', 'kafka', '--list', '--json'], { cache })
    assert.equal(list.exitCode, 0, list.stderr)
    const installed = JSON.parse(list.stdout) as Array<Record<string, unknown>>
    assert.deepEqual(
      installed.map((d) => [d.version, d.source, d.home, d.supportsZooKeeper]),
      [['3.9.2', 'apache', home, true]],
    )
    assert.deepEqual(cacheEntries(cache), ['3.9.2'], 'no staging leftovers')

    const downloadsBefore = requests.filter((url) => url.endsWith('3.9.2.tgz')).length
    const again = await kafkit(['install', 'kafka', '--version', '3.9.2', '--mirror', mirror], { cache })
    assert.equal(again.exitCode, 0, again.stderr)
    assert.match(again.stdout, /already installed/)
    assert.equal(
      requests.filter((url) => url.endsWith('3.9.2.tgz')).length,
      downloadsBefore,
      'nothing downloaded again',
    )
  })

  it('reads a gpg-style checksum and honours KAFKIT_APACHE_MIRROR; --json returns the result', async () => {
    const cache = freshCache('apache-gpg')
    const install = await kafkit(['install', 'kafka', '-V', '3.9.1', '--json'], {
      cache,
      env: { KAFKIT_APACHE_MIRROR: `${mirror}/` },
    })
    assert.equal(install.exitCode, 0, install.stderr)
    const result = JSON.parse(install.stdout)
    assert.equal(result.version, '3.9.1')
    assert.equal(result.source, 'apache')
    assert.equal(result.alreadyInstalled, false)
    assert.equal(result.home, join(cache, 'kafka', '3.9.1'))
  })

  it('refuses an archive whose SHA-512 does not match, leaving nothing behind', async () => {
    const cache = freshCache('apache-bad-hash')
    const install = await kafkit(['install', 'kafka', '--version', '3.8.0', '--mirror', mirror], { cache })
    assert.equal(install.exitCode, 1)
    assert.match(install.stderr, /SHA-512 checksum mismatch for kafka_2\.13-3\.8\.0\.tgz/)
    assert.match(install.stderr, new RegExp(`expected ${sha512(Buffer.from('something else'))}`))
    assert.match(
      install.stderr,
      new RegExp(`actual +${sha512(routes.get('/kafka/3.8.0/kafka_2.13-3.8.0.tgz') as Buffer)}`),
    )
    assert.deepEqual(cacheEntries(cache), [], 'no 3.8.0 directory and no .tmp-* leftovers')
  })

  it('explains a 404 at the mirror', async () => {
    const cache = freshCache('apache-404')
    const install = await kafkit(['install', 'kafka', '--version', '3.7.0', '--mirror', mirror], { cache })
    assert.equal(install.exitCode, 1)
    assert.match(install.stderr, new RegExp(`Kafka 3\\.7\\.0 was not found at the mirror ${mirror}`))
    assert.match(install.stderr, /kafka_2\.13-3\.7\.0\.tgz/)
    assert.match(install.stderr, /kafka\.apache\.org\/downloads/)
    assert.deepEqual(cacheEntries(cache), [])
  })
})

describe('install kafka --source maven', () => {
  it('assembles 3.9.2 from Maven Central with runnable bin/ scripts', { timeout: 600_000 }, async () => {
    const cache = freshCache('maven')
    const install = await kafkit(['install', 'kafka', '--source', 'maven', '--version', '3.9.2'], { cache })
    assert.equal(install.exitCode, 0, install.stderr)
    const list = await kafkit(['install', 'kafka', '--list', '--json'], { cache })
    const installed = JSON.parse(list.stdout) as Array<Record<string, unknown>>
    assert.deepEqual(
      installed.map((d) => [d.version, d.source]),
      [['3.9.2', 'maven']],
    )

    const home = join(cache, 'kafka', '3.9.2')
    const libs = readdirSync(join(home, 'libs'))
    for (const jar of [
      'kafka_2.13-3.9.2.jar',
      'kafka-tools-3.9.2.jar',
      'reload4j-1.2.25.jar',
      'slf4j-reload4j-1.7.36.jar',
    ]) {
      assert.ok(libs.includes(jar), `${jar} in libs/`)
    }
    const topics = await execa(join(home, 'bin', 'kafka-topics.sh'), ['--version'], { reject: false })
    assert.equal(topics.exitCode, 0, String(topics.stderr))
    assert.match(String(topics.stdout), /^3\.9\.2/)
  })
})

describe('install kafka --source <path>', () => {
  it('adopts an unpacked distribution directory, checking --version against it', async () => {
    const cache = freshCache('adopt-dir')
    const source = fakeDistribution(join(scratch, 'adopt-src'), '3.9.0')

    const mismatch = await kafkit(['install', 'kafka', '--source', source, '--version', '3.9.2'], { cache })
    assert.equal(mismatch.exitCode, 2)
    assert.match(mismatch.stderr, /--version 3\.9\.2 does not match .* Kafka 3\.9\.0/)
    assert.deepEqual(cacheEntries(cache), [])

    const adopt = await kafkit(['install', 'kafka', '--source', source, '--json'], { cache })
    assert.equal(adopt.exitCode, 0, adopt.stderr)
    const result = JSON.parse(adopt.stdout)
    assert.equal(result.version, '3.9.0')
    assert.equal(result.source, 'path')
    assert.equal(result.origin, source)
    assert.ok(existsSync(join(cache, 'kafka', '3.9.0', 'libs', 'kafka_2.13-3.9.0.jar')))
    assert.ok(existsSync(source), 'the original stays where it was')
  })

  it('adopts a local .tgz after checking the .sha512 beside it', async () => {
    const cache = freshCache('adopt-tgz')
    const dir = join(scratch, 'downloads')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'kafka_2.13-3.9.3.tgz')
    const bytes = await tarball('3.9.3')
    writeFileSync(file, bytes)
    writeFileSync(`${file}.sha512`, `${sha512(Buffer.from('tampered'))}  kafka_2.13-3.9.3.tgz\n`)
    const bad = await kafkit(['install', 'kafka', '--source', file], { cache })
    assert.equal(bad.exitCode, 1)
    assert.match(bad.stderr, /SHA-512/)
    assert.deepEqual(cacheEntries(cache), [])

    writeFileSync(`${file}.sha512`, gpgStyle('kafka_2.13-3.9.3.tgz', sha512(bytes)))
    const good = await kafkit(['install', 'kafka', '--source', file], { cache })
    assert.equal(good.exitCode, 0, good.stderr)
    assert.match(good.stdout, /Installed Kafka 3\.9\.3 \(path\)/)
  })

  it('rejects a directory that is not a Kafka distribution', async () => {
    const cache = freshCache('adopt-not-kafka')
    const install = await kafkit(['install', 'kafka', '--source', scratch], { cache })
    assert.equal(install.exitCode, 2)
    assert.match(install.stderr, /not a Kafka distribution/)
  })
})

describe('install kafka: bad input and missing prerequisites', () => {
  it('rejects a malformed version with exit 2', async () => {
    const install = await kafkit(['install', 'kafka', '--version', 'banana'], { cache: freshCache('banana') })
    assert.equal(install.exitCode, 2)
    assert.match(install.stderr, /Invalid Kafka version "banana".*major\.minor\.patch/)
  })

  it('rejects an unknown --source with exit 2', async () => {
    const install = await kafkit(['install', 'kafka', '--source', 'homebrew-nope'], { cache: freshCache('bad-source') })
    assert.equal(install.exitCode, 2)
    assert.match(install.stderr, /Invalid --source "homebrew-nope": expected apache, maven, or the path/)
  })

  it('exits 3 with a fix when mvn is not on PATH', async () => {
    const emptyBin = freshCache('empty-bin')
    const install = await kafkit(['install', 'kafka', '--source', 'maven', '--version', '4.4.0'], {
      cache: freshCache('no-mvn'),
      env: { PATH: emptyBin },
    })
    assert.equal(install.exitCode, 3)
    assert.match(install.stderr, /Maven \(mvn\) not found on PATH/)
    assert.match(install.stderr, /Install Maven/)
  })

  it('lists nothing in an empty cache', async () => {
    const list = await kafkit(['install', 'kafka', '--list'], { cache: freshCache('empty') })
    assert.equal(list.exitCode, 0)
    assert.match(list.stdout, /No Kafka distributions installed/)
  })
})
