/**
 * Every `--reset-offsets --execute` first saves the offsets it is about to replace, so `--undo-reset` can put them
 * back exactly (including "nothing was committed", which undo restores by deleting the commit).
 *
 * Backups live under the stack's state directory when the cluster is a local stack
 * (`<KAFKIT_HOME>/stacks/<stack>/offset-backups/`), else under `<KAFKIT_HOME>/offset-backups/<bootstrap>/`.
 */
import type { BootstrapServers } from '../connection/source.js'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError } from '../errors.js'
import { kafkitHome, stackDir } from '../paths.js'
import { listStacks, loadState } from '../model/state.js'

interface BackupOffset {
  topic: string
  partition: number
  /** The commit before the reset; null when the partition had none. */
  offset: number | null
}

export interface OffsetBackup {
  kind: 'kafkit-offset-backup'
  version: 1
  createdAt: string
  group: string
  clusterId: string
  bootstrap: string
  /** The reset that replaced these offsets, for people reading the file. */
  reason: string
  offsets: BackupOffset[]
  /** What the reset set, so undo can tell whether someone changed the offsets since. */
  applied: Array<{ topic: string; partition: number; offset: number }>
  undoneAt?: string
}

export interface BackupLocation {
  dir: string
  /** "stack default" or the bootstrap address, for messages. */
  label: string
}

/** Where backups of this cluster go: the stack whose address it is, else a folder named after the address. */
export function backupLocation(connection: BootstrapServers, stack: string | undefined): BackupLocation {
  if (connection.source.kind === 'stack') {
    const name = connection.source.stack
    return { dir: join(stackDir(name), 'offset-backups'), label: `stack ${name}` }
  }
  const wanted = [...connection.servers].sort().join(',')
  for (const name of stack ? [stack, ...listStacks()] : listStacks()) {
    const state = loadState(name)
    if (state && state.bootstrapServers.split(',').sort().join(',') === wanted) {
      return { dir: join(stackDir(name), 'offset-backups'), label: `stack ${name}` }
    }
  }
  return {
    dir: join(kafkitHome(), 'offset-backups', wanted.replace(/[^A-Za-z0-9._-]+/g, '_')),
    label: connection.servers.join(','),
  }
}

function safeName(group: string): string {
  return group.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'group'
}

/** Atomic (temp file + rename), private (0600): offsets are not secret, but the file names groups and topics. */
export function writeBackup(location: BackupLocation, backup: OffsetBackup, now = new Date()): string {
  mkdirSync(location.dir, { recursive: true, mode: 0o700 })
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '')
  let path = join(location.dir, `${stamp}-${safeName(backup.group)}.json`)
  for (let i = 1; existsSync(path); i++) path = join(location.dir, `${stamp}-${safeName(backup.group)}-${i}.json`)
  saveJson(path, backup)
  return path
}

function saveJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

interface StoredBackup {
  path: string
  backup: OffsetBackup
}

/** Backups not yet undone, newest first; only those of `group` when given. */
export function listBackups(location: BackupLocation, group?: string): StoredBackup[] {
  if (!existsSync(location.dir)) return []
  const found: StoredBackup[] = []
  for (const name of readdirSync(location.dir)) {
    if (!name.endsWith('.json')) continue
    const path = join(location.dir, name)
    try {
      const backup = JSON.parse(readFileSync(path, 'utf8')) as OffsetBackup
      if (backup.kind !== 'kafkit-offset-backup' || backup.undoneAt) continue
      if (group !== undefined && backup.group !== group) continue
      found.push({ path, backup })
    } catch {
      // A file someone edited into invalid JSON is skipped rather than blocking every undo.
    }
  }
  return found.sort((a, b) =>
    a.backup.createdAt < b.backup.createdAt
      ? 1
      : a.backup.createdAt > b.backup.createdAt
        ? -1
        : a.path < b.path
          ? 1
          : -1,
  )
}

export function latestBackup(location: BackupLocation, group?: string): StoredBackup {
  const [latest] = listBackups(location, group)
  if (!latest) {
    throw new KafkitError(`No offset backup to undo${group ? ` for group '${group}'` : ''} (${location.label}).`, {
      code: 'NO_BACKUP',
      details: [`Backups are written by --reset-offsets --execute to ${location.dir}`],
    })
  }
  return latest
}

export function markUndone(stored: StoredBackup, now = new Date()): void {
  saveJson(stored.path, { ...stored.backup, undoneAt: now.toISOString() })
}
