/** Shapes of JSON values (key names and typeof, recursively) for the --json contract test (json-shapes.test.ts). */

/** A JSON value's shape: "string" | "number" | "boolean" | "null", unions like "null|number", objects, arrays. */
export type Shape = string | Shape[] | { [key: string]: Shape }

const isObject = (shape: Shape): shape is { [key: string]: Shape } => typeof shape === 'object' && !Array.isArray(shape)

/** The shape of a value; objects at `mapPaths` (dotted, [] for array elements) have data keys, folded into "*". */
export function shapeOf(value: unknown, mapPaths: string[] = [], path = ''): Shape {
  if (value === null) return 'null'
  if (Array.isArray(value)) {
    const shapes = value.map((v) => shapeOf(v, mapPaths, `${path}[]`))
    return shapes.length === 0 ? [] : [shapes.reduce(mergeShapes)]
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (mapPaths.includes(path)) {
      const shapes = entries.map(([, v]) => shapeOf(v, mapPaths, `${path}.*`))
      return shapes.length === 0 ? {} : { '*': shapes.reduce(mergeShapes) }
    }
    return Object.fromEntries(
      entries
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v, mapPaths, path ? `${path}.${k}` : k)]),
    )
  }
  return typeof value
}

/** One shape for two values seen in the same place: keys in only one object become optional ("key?"). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length === 0) return b
    if (b.length === 0) return a
    return [mergeShapes(a[0]!, b[0]!)]
  }
  if (isObject(a) && isObject(b)) {
    const bare = (key: string) => key.replace(/\?$/, '')
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)].map(bare))].sort()
    const find = (shape: { [key: string]: Shape }, key: string): [Shape | undefined, boolean] =>
      key in shape ? [shape[key], false] : `${key}?` in shape ? [shape[`${key}?`], true] : [undefined, true]
    return Object.fromEntries(
      keys.map((key) => {
        const [x, xOptional] = find(a, key)
        const [y, yOptional] = find(b, key)
        const merged = x === undefined ? y! : y === undefined ? x : mergeShapes(x, y)
        return [xOptional || yOptional ? `${key}?` : key, merged]
      }),
    )
  }
  if (typeof a === 'string' && typeof b === 'string')
    return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|')
  // An object or array in one value and a primitive in another (say, null): keep both, primitive part first.
  const parts = [a, b].flatMap((s) => (isObject(s) && '|' in s ? (s['|'] as Shape[]) : [s]))
  return { '|': parts }
}

/**
 * Where `actual` breaks the contract `expected` (a snapshot, possibly merged from several runs): a key that is
 * new or gone (unless optional: "key?"), a type not in the expected union, a structure that changed. An empty array
 * or a union member that this run did not produce is no break: which elements and which members appear depends on
 * the data and the machine (doctor's runtimes, for one).
 */
export function shapeBreaks(actual: Shape, expected: Shape, path = '$'): string[] {
  if (typeof actual === 'string' && typeof expected === 'string') {
    const allowed = new Set(expected.split('|'))
    const extra = actual.split('|').filter((t) => !allowed.has(t))
    return extra.length ? [`${path}: ${extra.join('|')} where the contract has ${expected}`] : []
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length === 0) return []
    if (expected.length === 0)
      return [`${path}: elements ${JSON.stringify(actual[0])} where the contract has only empty arrays`]
    return shapeBreaks(actual[0]!, expected[0]!, `${path}[]`)
  }
  if (isObject(actual) && isObject(expected)) {
    if ('|' in expected || '|' in actual) {
      const options = '|' in expected ? (expected['|'] as Shape[]) : [expected]
      const parts = '|' in actual ? (actual['|'] as Shape[]) : [actual]
      return parts.flatMap((part) =>
        options.some((o) => shapeBreaks(part, o, path).length === 0)
          ? []
          : [`${path}: ${JSON.stringify(part)} matches no alternative of the contract`],
      )
    }
    const breaks: string[] = []
    const bare = (key: string) => key.replace(/\?$/, '')
    const expectedKeys = new Map(Object.keys(expected).map((k) => [bare(k), k]))
    for (const key of Object.keys(actual)) {
      const name = bare(key)
      const inContract = expectedKeys.get(name)
      if (inContract === undefined) breaks.push(`${path}.${name}: new key`)
      else breaks.push(...shapeBreaks(actual[key]!, expected[inContract]!, `${path}.${name}`))
    }
    for (const [name, key] of expectedKeys) {
      if (!key.endsWith('?') && !(name in actual) && !(`${name}?` in actual)) breaks.push(`${path}.${name}: gone`)
    }
    return breaks
  }
  // A primitive where the contract has one alternative among several (say "null" for an object or null).
  if (
    isObject(expected) &&
    '|' in expected &&
    (expected['|'] as Shape[]).some((o) => shapeBreaks(actual, o, path).length === 0)
  )
    return []
  return [`${path}: ${JSON.stringify(actual)} where the contract has ${JSON.stringify(expected)}`]
}

/**
 * Adds `extra` (a type this run cannot produce, say "string" for an error field that is null when all is well) to
 * the shape at `path` (dotted, [] for array elements, as in shapeOf).
 */
export function widenShape(shape: Shape, path: string, extra: Shape): Shape {
  const [head, ...rest] = path.split('.')
  const element = /^(.*)\[\]$/.exec(head!)
  const at = (s: Shape, key: string, f: (inner: Shape) => Shape): Shape => {
    if (!isObject(s)) return s
    const name = key in s ? key : `${key}?`
    return name in s ? { ...s, [name]: f(s[name]!) } : s
  }
  const inner = (s: Shape): Shape => (rest.length ? widenShape(s, rest.join('.'), extra) : mergeShapes(s, extra))
  if (element) return at(shape, element[1]!, (s) => (Array.isArray(s) && s.length ? [inner(s[0]!)] : s))
  return at(shape, head!, inner)
}
