/**
 * The import graph of src/ points one way: commands -> domain -> client/runtimes -> model -> util.
 * A module may import from its own layer or any layer below it, never from one above; and no two folders may import
 * each other (directly or round a longer circle), so every folder can be read knowing only what lies beneath it.
 * The map below is the architecture (docs/ARCHITECTURE.md draws the same layers): a new folder must be placed in it.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const src = fileURLToPath(new URL('../../src', import.meta.url))

/** Top-level folder or file of src/ -> layer, highest first. */
const LAYERS: Array<{ layer: string; units: string[] }> = [
  {
    layer: 'entry',
    units: ['cli.ts', 'command-index.ts', 'direct', 'commands', 'hooks', 'help', 'base-command.ts', 'flags.ts'],
  },
  {
    layer: 'domain',
    units: [
      'stack',
      'topics',
      'configs',
      'offsets',
      'groups',
      'share-groups',
      'streams-groups',
      'transactions',
      'verifiable',
      'acls',
      'delegation-tokens',
      'client-metrics',
      'shims',
      'doctor.ts',
      'dump-log',
      'perf',
      'partitions',
      'streams-reset',
      'replica-verification',
      'kraft',
      'connect',
      'schemas',
    ],
  },
  { layer: 'client/runtimes', units: ['cluster', 'client', 'runtime', 'install', 'services', 'embedded'] },
  { layer: 'model', units: ['model', 'records', 'connection', 'protocol'] },
  { layer: 'util', units: ['util', 'output', 'errors.ts', 'paths.ts', 'signals.ts', 'types'] },
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.ts$/.test(name) ? [path] : []
  })
}

/** The top-level unit of src/ a file belongs to ("cluster", "errors.ts"). */
const unitOf = (file: string) => relative(src, file).split('/')[0]!
const rank = (unit: string) => LAYERS.findIndex((l) => l.units.includes(unit))

interface Edge {
  from: string
  to: string
}

function importEdges(): Edge[] {
  const edges: Edge[] = []
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8')
    // Static imports, re-exports and dynamic import() of relative modules (type-only imports count too: a type
    // taken from a layer above is a dependency on it all the same).
    for (const match of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      edges.push({ from: file, to: resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')) })
    }
  }
  return edges
}

describe('import graph', () => {
  const edges = importEdges()

  it('places every top-level folder and file of src/ in a layer', () => {
    const unplaced = [...new Set(sourceFiles(src).map(unitOf))].filter((unit) => rank(unit) < 0)
    assert.deepEqual(unplaced, [], `add these to LAYERS in ${relative(process.cwd(), fileURLToPath(import.meta.url))}`)
  })

  it('never imports from a higher layer', () => {
    const upward = edges
      .filter((e) => rank(unitOf(e.to)) < rank(unitOf(e.from)))
      .map(
        (e) =>
          `${relative(src, e.from)} (${LAYERS[rank(unitOf(e.from))]!.layer}) -> ${relative(src, e.to)} (${LAYERS[rank(unitOf(e.to))]!.layer})`,
      )
    assert.deepEqual(upward, [])
  })

  it('has no circle between folders', () => {
    const graph = new Map<string, Set<string>>()
    for (const e of edges) {
      const [a, b] = [unitOf(e.from), unitOf(e.to)]
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b))
    }
    const circles: string[] = []
    const reaches = (start: string, target: string, seen = new Set<string>()): string[] | undefined => {
      for (const next of graph.get(start) ?? []) {
        if (next === target) return [start, next]
        if (seen.has(next)) continue
        seen.add(next)
        const path = reaches(next, target, seen)
        if (path) return [start, ...path]
      }
      return undefined
    }
    for (const unit of graph.keys()) {
      const path = reaches(unit, unit)
      if (path) circles.push(path.join(' -> '))
    }
    assert.deepEqual(circles, [])
  })

  it('loads kafkajs and its internals only in cluster/kafkajs-internals.ts (type imports aside)', () => {
    const users = sourceFiles(src)
      .filter((file) =>
        /kafkajs\/src\/|(?:^|\n)import (?!type )[^\n]*from 'kafkajs'|import\('kafkajs'\)(?!\.)|require\('kafkajs'\)/.test(
          readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => relative(src, file))
    assert.deepEqual(users, ['cluster/kafkajs-internals.ts'])
  })
})
