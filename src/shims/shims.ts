/**
 * `kafkit shims install|uninstall`: small executables named like Kafka's scripts (kafka-topics,
 * kafka-topics.sh, ...) that run kafkit, so existing scripts and muscle memory work without Java.
 *
 * Every file written is recorded in a manifest under KAFKIT_HOME with its content hash, so uninstall
 * removes exactly what install wrote: a file that was changed since (or never ours) is left alone. A
 * foreign file is only replaced with --force, and is then kept aside and put back by uninstall.
 */
import { createHash } from 'node:crypto'
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { KafkitError, UsageError } from '../errors.js'
import { kafkitHome, packageRoot } from '../paths.js'

/**
 * Which command names are Kafka script names: the families of Kafka's bin/ (kafka-*, zookeeper-*, connect-*,
 * trogdor*), bare or with .sh. A command is mirrored when its id or one of its aliases matches, so a new command with
 * the usual aliases (`kafka-x`, `kafka-x.sh`) gets its shims without this file changing.
 */
const SCRIPT_NAME = /^(kafka|zookeeper|connect|trogdor)(-[a-z0-9]+)*(\.sh)?$/

/** A command as oclif's manifest (Config.commands) or the command index describes it. */
export interface CommandNames {
  id: string
  aliases?: readonly string[]
}

export interface ShimTarget {
  /** The file name (a Kafka script name, bare or with .sh). */
  name: string
  /** The word the shim passes to kafkit: a registered id or alias of the command. */
  command: string
}

/**
 * The shims for these commands, sorted by name: every id or alias that is a script name, each with its bare and .sh
 * form (kafka-server-start has no .sh alias, yet kafka-server-start.sh is a script). Pure.
 */
export function shimTargets(commands: readonly CommandNames[]): ShimTarget[] {
  const byName = new Map<string, string>()
  for (const c of commands) {
    const names = [c.id, ...(c.aliases ?? [])].filter((n) => SCRIPT_NAME.test(n))
    for (const n of names) {
      const bare = n.replace(/\.sh$/, '')
      const word = names.includes(bare) ? bare : n
      for (const name of [bare, `${bare}.sh`]) if (!byName.has(name)) byName.set(name, word)
    }
  }
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, command]) => ({ name, command }))
}

const SHIM_MARKER = '# kafkit shim'

interface ShimFile {
  name: string
  path: string
  sha256: string
  /** Where a foreign file that --force replaced was moved; uninstall moves it back. */
  backup?: string
}

interface ShimManifest {
  version: 1
  installs: Array<{ dir: string; installedAt: string; kafkit: string; node: string; files: ShimFile[] }>
}

export interface ShimInstallResult {
  dir: string
  manifest: string
  files: Array<{ name: string; path: string; action: 'created' | 'updated' | 'replaced' }>
  /** Whether dir is on PATH (otherwise the shims are only reachable by full path). */
  onPath: boolean
  /** Script names that resolve to another file earlier on PATH. */
  shadowed: Array<{ name: string; by: string }>
}

export interface ShimUninstallResult {
  dir: string
  removed: string[]
  restored: string[]
  /** Recorded files left in place: changed since install, or already gone. */
  kept: Array<{ path: string; reason: string }>
}

export function defaultShimDir(): string {
  return join(homedir(), '.local', 'bin')
}

function manifestPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitHome(env), 'shims.json')
}

export function shimNames(commands: readonly CommandNames[]): string[] {
  return shimTargets(commands).map((t) => t.name)
}

/** npm's layout: executables of a prefix live in PREFIX/bin. */
export function shimDirOf(options: { dir?: string; prefix?: string }): string {
  if (options.dir !== undefined && options.prefix !== undefined)
    throw new UsageError('Give --dir or --prefix, not both.', { code: 'CONFLICTING_FLAGS' })
  if (options.prefix !== undefined) return resolve(options.prefix, 'bin')
  return resolve(options.dir ?? defaultShimDir())
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** The shim's text: exec this node on this install's bin/run.js with the script's alias. Pure. */
export function shimScript(script: string, node: string, runJs: string, dir: string): string {
  return [
    '#!/bin/sh',
    `${SHIM_MARKER}: runs \`kafkit ${script}\` instead of Kafka's Java tool. Remove with: kafkit shims uninstall --dir ${shellQuote(dir)}`,
    `exec ${shellQuote(node)} ${shellQuote(runJs)} ${script} "$@"`,
    '',
  ].join('\n')
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}

function readManifest(path = manifestPath()): ShimManifest {
  if (!existsSync(path)) return { version: 1, installs: [] }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ShimManifest
    return { version: 1, installs: Array.isArray(parsed.installs) ? parsed.installs : [] }
  } catch {
    throw new KafkitError(`The shim manifest ${path} is not valid JSON; fix or delete it.`, { code: 'BAD_MANIFEST' })
  }
}

function writeAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.kafkit-tmp-${process.pid}`
  writeFileSync(tmp, text, { mode })
  renameSync(tmp, path)
}

function writeManifest(manifest: ShimManifest, path = manifestPath()): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`, 0o644)
}

/** Whether `dir` is one of the PATH entries (compared as resolved absolute paths). */
export function isOnPath(dir: string, pathEnv = process.env.PATH ?? ''): boolean {
  const target = resolve(dir)
  return pathEnv
    .split(delimiter)
    .filter(Boolean)
    .some((entry) => resolve(entry) === target)
}

/** The first executable called `name` on PATH, if any. */
function whichOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const entry of pathEnv.split(delimiter).filter(Boolean)) {
    const candidate = join(entry, name)
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK)
        return candidate
      }
    } catch {
      // not here
    }
  }
  return undefined
}

export function installShims(options: {
  /** The commands to shim (oclif's Config.commands); their script-named ids and aliases become shims. */
  commands: readonly CommandNames[]
  dir?: string
  prefix?: string
  force?: boolean
  node?: string
  runJs?: string
}): ShimInstallResult {
  const dir = shimDirOf(options)
  const targets = shimTargets(options.commands)
  const node = options.node ?? process.execPath
  const runJs = options.runJs ?? join(packageRoot, 'bin', 'run.js')
  const path = manifestPath()
  const manifest = readManifest(path)
  const previous = manifest.installs.find((i) => i.dir === dir)
  const ours = new Map((previous?.files ?? []).map((f) => [f.path, f]))

  const plan = targets.map(({ name, command }) => {
    const file = join(dir, name)
    const text = shimScript(command, node, runJs, dir)
    if (!existsSync(file)) return { name, file, text, action: 'created' as const }
    const recorded = ours.get(file)
    const current = sha256(readFileSync(file))
    // Ours and untouched since: rewrite in place (a new node or kafkit path after an upgrade).
    if (recorded && recorded.sha256 === current)
      return { name, file, text, action: 'updated' as const, backup: recorded.backup }
    return { name, file, text, action: 'replaced' as const }
  })
  const foreign = plan.filter((p) => p.action === 'replaced')
  if (foreign.length > 0 && !options.force) {
    throw new KafkitError(
      `Not overwriting ${foreign.length} file(s) kafkit did not write in ${dir}: ${foreign.map((f) => f.name).join(', ')}.`,
      {
        code: 'SHIM_CONFLICT',
        suggestions: [
          `Use another directory (--dir), or --force to replace them (they are kept as NAME.kafkit-backup and restored by kafkit shims uninstall --dir ${dir}).`,
        ],
      },
    )
  }

  mkdirSync(dir, { recursive: true })
  const files: ShimFile[] = []
  for (const p of plan) {
    let backup: string | undefined = 'backup' in p ? p.backup : undefined
    if (p.action === 'replaced') {
      backup = `${p.file}.kafkit-backup`
      if (existsSync(backup))
        throw new KafkitError(`Cannot keep ${p.file} aside: ${backup} already exists.`, { code: 'SHIM_CONFLICT' })
      renameSync(p.file, backup)
    }
    writeAtomic(p.file, p.text, 0o755)
    files.push({ name: p.name, path: p.file, sha256: sha256(p.text), ...(backup ? { backup } : {}) })
  }
  // A shim of an earlier install that this one did not rewrite (a command since removed) stays recorded, so
  // uninstall still removes it.
  const planned = new Set(plan.map((p) => p.file))
  files.push(...(previous?.files ?? []).filter((f) => !planned.has(f.path) && existsSync(f.path)))
  manifest.installs = [
    ...manifest.installs.filter((i) => i.dir !== dir),
    { dir, installedAt: new Date().toISOString(), kafkit: runJs, node, files },
  ]
  writeManifest(manifest, path)

  const shadowed = isOnPath(dir)
    ? targets.flatMap(({ name }) => {
        const found = whichOnPath(name)
        return found && resolve(found) !== join(dir, name) ? [{ name, by: found }] : []
      })
    : []
  return {
    dir,
    manifest: path,
    onPath: isOnPath(dir),
    shadowed,
    files: plan.map((p) => ({ name: p.name, path: p.file, action: p.action })),
  }
}

export function uninstallShims(options: { dir?: string; prefix?: string } = {}): ShimUninstallResult {
  const dir = shimDirOf(options)
  const path = manifestPath()
  const manifest = readManifest(path)
  const install = manifest.installs.find((i) => i.dir === dir)
  const result: ShimUninstallResult = { dir, removed: [], restored: [], kept: [] }
  if (!install) return result
  for (const file of install.files) {
    if (!existsSync(file.path)) {
      result.kept.push({ path: file.path, reason: 'already gone' })
    } else if (sha256(readFileSync(file.path)) !== file.sha256) {
      // Changed since kafkit wrote it: not ours to delete any more.
      result.kept.push({ path: file.path, reason: 'changed since kafkit wrote it' })
      continue
    } else {
      unlinkSync(file.path)
      result.removed.push(file.path)
    }
    if (file.backup && existsSync(file.backup) && !existsSync(file.path)) {
      renameSync(file.backup, file.path)
      result.restored.push(file.path)
    }
  }
  manifest.installs = manifest.installs.filter((i) => i.dir !== dir)
  writeManifest(manifest, path)
  return result
}
