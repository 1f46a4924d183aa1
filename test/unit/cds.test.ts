import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { cdsPlan, settleCds } from '../../src/runtime/cds.js'
import { topicsOnDisk } from '../../src/stack/service.js'

const root = mkdtempSync(join(tmpdir(), 'kafkit-cds-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** A fake java binary and Kafka home, and a cache to keep archives in. */
function fixture(name: string) {
  const dir = join(root, name)
  const java = join(dir, 'jdk', 'bin', 'java')
  mkdirSync(join(dir, 'jdk', 'bin'), { recursive: true })
  writeFileSync(java, '#!/bin/sh\n')
  chmodSync(java, 0o755)
  const home = join(dir, 'kafka')
  mkdirSync(join(home, 'libs'), { recursive: true })
  const env = { KAFKIT_CACHE: join(dir, 'cache'), PATH: '' }
  return { java, home, env, archives: join(dir, 'cache', 'cds') }
}

/** What a JVM leaves at exit: a dynamic archive starts with its magic (written last, so a cut-off file lacks it). */
function writeArchive(file: string, whole = true): void {
  const bytes = Buffer.alloc(64)
  if (whole) bytes.writeUInt32LE(0xf00baba8, 0)
  writeFileSync(file, bytes)
}

describe('class-data sharing', () => {
  it('makes the archive on the first start, keeps it only after a clean exit, and uses it afterwards', () => {
    const { java, home, env, archives } = fixture('cycle')
    const request = {
      java,
      javaMajor: 17,
      home,
      mainClass: 'kafka.Kafka',
      marker: '/s/config/kafka-1.properties',
      userOpts: '',
      env,
    }
    const first = cdsPlan(request)!
    assert.ok(first.pending)
    assert.match(first.args[0]!, /^-XX:ArchiveClassesAtExit=/)
    writeArchive(first.pending!)
    settleCds(request.marker, true, env)
    const files = readdirSync(archives)
    assert.equal(files.length, 1)
    assert.match(files[0]!, /^Kafka-[0-9a-f]{16}\.jsa$/)
    const second = cdsPlan(request)!
    assert.equal(second.pending, undefined)
    assert.deepEqual(second.args[0], `-XX:SharedArchiveFile=${join(archives, files[0]!)}`)
  })

  it('drops what a killed process wrote, and never takes a file without the header', () => {
    const { java, home, env, archives } = fixture('killed')
    const request = {
      java,
      javaMajor: 21,
      home,
      mainClass: 'kafka.Kafka',
      marker: '/s/config/kafka-2.properties',
      userOpts: '',
      env,
    }
    writeArchive(cdsPlan(request)!.pending!)
    settleCds(request.marker, false, env)
    assert.deepEqual(readdirSync(archives), [])
    writeArchive(cdsPlan(request)!.pending!, false)
    settleCds(request.marker, true, env)
    assert.deepEqual(readdirSync(archives), [])
    assert.ok(cdsPlan(request)!.pending, 'still no archive: the next start makes one')
  })

  it('one archive per java binary and main class; none for old JDKs, user CDS options or KAFKIT_CDS=off', () => {
    const { java, home, env } = fixture('keys')
    const base = { java, javaMajor: 17, home, mainClass: 'kafka.Kafka', marker: 'm', userOpts: '', env }
    const kafka = cdsPlan(base)!.pending!
    const storage = cdsPlan({ ...base, mainClass: 'kafka.tools.StorageTool' })!.pending!
    assert.notEqual(kafka.split('.')[0], storage.split('.')[0])
    assert.equal(cdsPlan({ ...base, javaMajor: 11 }), undefined)
    assert.equal(cdsPlan({ ...base, javaMajor: undefined }), undefined)
    assert.equal(cdsPlan({ ...base, userOpts: '-Xshare:off' }), undefined)
    assert.equal(cdsPlan({ ...base, env: { ...env, KAFKIT_CDS: 'off' } }), undefined)
    assert.equal(cdsPlan({ ...base, java: join(root, 'no-such-java') }), undefined)
  })
})

describe('topicsOnDisk', () => {
  it('lists the topics of the partition directories, not deleted, moving or stray ones, nor the metadata log', () => {
    const dataDir = join(root, 'data', 'kafka-1')
    for (const dir of [
      'orders-0',
      'orders-1',
      'a.b-c-12',
      '__consumer_offsets-3',
      '__cluster_metadata-0',
      'gone-0.5f1e8d-delete',
      'moving-0.abc-future',
      'x-0-stray',
    ]) {
      mkdirSync(join(dataDir, dir), { recursive: true })
    }
    writeFileSync(join(dataDir, 'meta.properties'), '')
    const node = { name: 'kafka-1', role: 'combined', dataDir, configFile: join(root, 'none.properties') }
    assert.deepEqual(topicsOnDisk({ nodes: [node] as never })!.sort(), ['__consumer_offsets', 'a.b-c', 'orders'])
    assert.ok(existsSync(dataDir))
    assert.equal(topicsOnDisk({ nodes: [{ ...node, dataDir: join(root, 'missing') }] as never }), undefined)
  })

  it('reads log.dirs from the node config (overrides can move them)', () => {
    const dirs = [join(root, 'l1'), join(root, 'l2')]
    mkdirSync(join(dirs[0]!, 't1-0'), { recursive: true })
    mkdirSync(join(dirs[1]!, 't2-0'), { recursive: true })
    const configFile = join(root, 'moved.properties')
    writeFileSync(configFile, `log.dirs=${dirs.join(',')}\n`)
    assert.deepEqual(
      topicsOnDisk({
        nodes: [{ name: 'b', role: 'broker', dataDir: join(root, 'unused'), configFile }] as never,
      })!.sort(),
      ['t1', 't2'],
    )
  })
})

describe('detectJava', () => {
  it('remembers the answer of a java binary, and asks a script every time', async (t) => {
    const { detectJava } = await import('../../src/runtime/java.js')
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKIT_CACHE: join(root, 'java-cache') }
    delete env.JAVA_HOME
    const first = await detectJava(env)
    if (!first) return t.skip('no java on PATH')
    const memo = join(root, 'java-cache', 'java-versions.json')
    assert.ok(existsSync(memo))
    const again = await detectJava(env)
    assert.deepEqual(again, first)
    // A shim (a script) is never remembered: its answer depends on the environment.
    const shimHome = join(root, 'shim')
    mkdirSync(join(shimHome, 'bin'), { recursive: true })
    writeFileSync(join(shimHome, 'bin', 'java'), '#!/bin/sh\necho \'openjdk version "21.0.1" 2023-10-17\' >&2\n')
    chmodSync(join(shimHome, 'bin', 'java'), 0o755)
    const shim = await detectJava({ ...env, JAVA_HOME: shimHome })
    assert.equal(shim?.major, 21)
    assert.equal(Object.keys(JSON.parse((await import('node:fs')).readFileSync(memo, 'utf8'))).length, 1)
  })
})
