// Builds dist/: the CLI bundled by esbuild (ESM, code-split), replacing tsc's file-per-module output (tsc type-checks only).
//   dist/cli.js                     oclif (bundled) and run(), loaded by bin/run.js
//   dist/command-index.js           COMMANDS, every command id (package.json oclif.commands, strategy "explicit"), each
//                                   loading its own chunk when it runs (see lazyCommandIndex)
//   dist/hooks/command-not-found.js the command_not_found hook
//   dist/direct/                    the direct path: the most used admin commands without oclif (src/direct/)
//   dist/chunks/                    shared code and everything a command imports lazily (one chunk per dynamic import)
//   dist/embedded.js                the embedded broker's process; dist/embedded-api.js and dist/types/embedded/ its
//                                   in-process API (package.json exports "./embedded")
// The entry names mirror src/ so bin/dev.mjs (oclif's development mode) finds src/command-index.ts and src/hooks/*.ts.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)
rmSync('dist', { recursive: true, force: true })

// oclif requires these at load time, though a run seldom needs them (globbing is for the "pattern" command strategy,
// semver for a warning, ejs for text holding `<%`, debug for DEBUG=*): inside the bundled @oclif/core each is a
// stand-in answering the calls below without the module, and loading the real one for anything else it is asked.
const LAZY = {
  semver: `{}`,
  // oclif matches every dependency name against the oclif.plugins entries: a pattern without magic is a plain name.
  minimatch: `{ minimatch: (p, w, ...a) => (/[*?[\\]{}()!+@]/.test(w) ? load().minimatch(p, w, ...a) : p === w) }`,
  tinyglobby: `{}`,
  // ejs.render of a text without a tag is the text itself.
  ejs: `{ render: (t, ...a) => (typeof t === 'string' && !t.includes('<%') ? t : load().render(t, ...a)) }`,
  debug: `Object.assign((ns) => { let real; return (...a) => { if (process.env.DEBUG) (real ??= load()(ns))(...a) } }, { __esModule: undefined })`,
  // Node's own modules that oclif requires at load time but calls only in rare paths (reading a flag from stdin, the
  // parent process's name on Windows, performance marks with OCLIF_PERF): Node compiles them (and child_process's
  // dgram, net...) only when a function of theirs is called.
  'node:child_process': `{}`,
  'node:readline': `{}`,
  'node:perf_hooks': `{}`,
  // 31 KB of spinner definitions, read when a spinner starts.
  'cli-spinners': `{}`,
}
// The real package is not in the bundle (some 200 KB V8 would parse at every start for nothing): it is required from
// node_modules, as @oclif/core (a dependency of kafkit) would require it.
const requireReal = (name) =>
  name.startsWith('node:')
    ? `require(${JSON.stringify(name)})`
    : `require('node:module').createRequire(require.resolve('@oclif/core'))(${JSON.stringify(name)})`
const standIn = (name) => `let real
const load = () => (real ??= ${requireReal(name)})
const own = ${LAZY[name]}
if (!('__esModule' in own)) own.__esModule = undefined // __importDefault() asks; the answer must not load the module
module.exports = new Proxy(own, { get: (target, key) => (key in target ? target[key] : load()[key]) })
`
const lazyOclifDependencies = {
  name: 'lazy-oclif-dependencies',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(LAZY).join('|')})$`) }, (args) =>
      args.namespace === 'file' && args.importer.includes(`${sep}@oclif${sep}core${sep}`)
        ? { path: args.path, namespace: 'lazy', pluginData: { resolveDir: args.resolveDir } }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: standIn(args.path),
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }))
  },
}

// dist/command-index.js is not src/command-index.ts as written (every command class, imported statically) but the same
// ids, each a small stand-in whose run() imports its own command (one chunk per command) and runs it: a start-up
// parses and evaluates only the command it runs. oclif reads nothing else from the class once oclif.manifest.json
// exists (help, completion and command_not_found answer from the manifest; findCommand wants an object with a run
// function; Config.runCommand calls run(argv, config)). Without the manifest (`oclif manifest` deletes it first and
// builds it from the classes) the index exports the real classes, loaded all at once.
const lazyCommandIndex = {
  name: 'lazy-command-index',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]command-index\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const files = new Map(
        [...text.matchAll(/^import (\w+) from '(\.\/commands\/[^']+)'$/gm)].map((m) => [m[1], m[2]]),
      )
      const body = text.slice(text.indexOf('export const COMMANDS = {'))
      const entries = [...body.matchAll(/^\s+('[^']+'|[\w-]+): (\w+),$/gm)].map((m) => [m[1].replace(/'/g, ''), m[2]])
      if (entries.length === 0 || entries.length !== files.size || entries.some(([, name]) => !files.has(name)))
        throw new Error(`src/command-index.ts: ${files.size} command imports, ${entries.length} COMMANDS entries`)
      const dir = args.path.slice(0, args.path.lastIndexOf(sep))
      // A stand-in also carries the class's aliases (kafka-topics.sh...), for src/cli.ts.
      const aliases = (file) => {
        const source = readFileSync(`${dir}/${file.replace(/\.js$/, '.ts')}`, 'utf8')
        const list = /^\s+static (?:override )?aliases = (\[[^\]]*\])/m.exec(source)?.[1]
        // Prettier writes a long list one alias a line, with a trailing comma JSON does not allow.
        return list ? JSON.parse(list.replace(/'/g, '"').replace(/,\s*\]$/, ']')) : []
      }
      const loaders = entries.map(
        ([id, name]) =>
          `  ${JSON.stringify(id)}: [() => import(${JSON.stringify(files.get(name))}), ${JSON.stringify(aliases(files.get(name)))}],`,
      )
      return {
        contents: `import { existsSync } from 'node:fs'
const loaders = {
${loaders.join('\n')}
}
const standIn = ([load, aliases]) => ({
  aliases,
  async run(argv, config) {
    const { default: Command } = await load()
    Command.id = this.id
    Command.plugin = this.plugin
    return Command.run(argv, config)
  },
})
export const COMMANDS = existsSync(new URL('../oclif.manifest.json', import.meta.url))
  ? Object.fromEntries(Object.entries(loaders).map(([id, load]) => [id, standIn(load)]))
  : Object.fromEntries(await Promise.all(Object.entries(loaders).map(async ([id, [load]]) => [id, (await load()).default])))
`,
        loader: 'ts',
        resolveDir: dir,
      }
    })
  },
}

const result = await build({
  entryPoints: {
    cli: 'src/cli.ts',
    'command-index': 'src/command-index.ts',
    'hooks/command-not-found': 'src/hooks/command-not-found.ts',
  },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Not bundled, loaded from node_modules when (and only when) a command needs them:
  //  - kafkajs: src/cluster/kafkajs-internals.ts replaces some of its CommonJS modules in the require cache before it
  //    loads it, and requires its private modules; both need the real files;
  //  - @bokuweb/zstd-wasm reads its .wasm file next to itself;
  //  - @oclif/plugin-autocomplete is an oclif plugin, loaded by oclif from its own package;
  //  - typescript, ts-node: oclif's development mode only (bin/dev.mjs runs the sources, not this bundle);
  //  - avsc, protobufjs, ajv: the schema formats (src/schemas/codecs.ts), CommonJS with their own lazy requires.
  external: [
    'kafkajs',
    'kafkajs/*',
    '@bokuweb/zstd-wasm',
    '@oclif/plugin-autocomplete',
    'typescript',
    'ts-node',
    'avsc',
    'protobufjs',
    'ajv',
    'ajv/*',
  ],
  // CommonJS code in the bundle (oclif and its dependencies) calls require() for Node's modules and for files found at
  // run time (plugins): every chunk gets a real require (esbuild renames a module's own `require` constant around it).
  banner: {
    js: "import { createRequire as __kafkitCreateRequire } from 'node:module'; const require = __kafkitCreateRequire(import.meta.url);",
  },
  // Class names survive (oclif and error handling may print or compare them).
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [lazyOclifDependencies, lazyCommandIndex],
  metafile: true,
  logLevel: 'warning',
})

// dist/direct/: the direct path (src/direct/), loaded first by bin/run.js. index.cjs is the list of direct commands;
// <id>.cjs is one command, bundled with '@oclif/core' resolved to src/direct/oclif-lite.ts so it never loads oclif,
// exporting run(argv, root) (src/direct/run.ts). Nothing is shared with the oclif bundle: a run loads one or the other
// (or both, when the direct parser hands a command line to oclif).
const directIds = [...readFileSync('src/direct/commands.ts', 'utf8').matchAll(/^ {2}'?([\w-]+)'?: \[/gm)].map(
  (m) => m[1],
)
const commandFiles = new Map(
  [...readFileSync('src/command-index.ts', 'utf8').matchAll(/^import (\w+) from '\.\/commands\/([^']+)\.js'$/gm)].map(
    (m) => [m[2], m[1]],
  ),
)
const directEntries = {
  name: 'direct-entries',
  setup(b) {
    b.onResolve({ filter: /^direct-entry:/ }, (args) => ({
      path: args.path.slice('direct-entry:'.length),
      namespace: 'direct-entry',
    }))
    b.onLoad({ filter: /.*/, namespace: 'direct-entry' }, (args) => {
      if (!commandFiles.has(args.path)) throw new Error(`src/direct/commands.ts: no command file ${args.path}.ts`)
      return {
        contents: `import command from './commands/${args.path}.js'
import { runDirect } from './direct/run.js'
export const run = (argv, root) => runDirect(command, ${JSON.stringify(args.path)}, argv, root)
`,
        loader: 'ts',
        resolveDir: 'src',
      }
    })
  },
}
const direct = await build({
  entryPoints: {
    'direct/index': 'src/direct/index.ts',
    ...Object.fromEntries(directIds.map((id) => [`direct/${id}`, `direct-entry:${id}`])),
  },
  outdir: 'dist',
  bundle: true,
  // One CommonJS file per command, required by bin/run.js (CommonJS too): Node 20's ES module loader pays about 1 ms
  // per module (resolution, an async read, linking), more than V8's pre-parse of code a command never runs (15-20 ms
  // less CPU than shared chunks), and a few ms for itself. import() becomes require() (the prompts, node:tls): a
  // bundle loaded through V8's code cache (src/direct/code-cache.ts) runs as a vm.Script, which cannot import().
  splitting: false,
  supported: { 'dynamic-import': false },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  alias: { '@oclif/core': './src/direct/oclif-lite.ts' },
  // Also not bundled: the prompts (@inquirer/*, half a megabyte with iconv-lite) that only a confirmation loads.
  external: ['kafkajs', 'kafkajs/*', '@bokuweb/zstd-wasm', '@inquirer/*'],
  // The sources are ES modules that find files next to themselves with import.meta.url.
  define: { 'import.meta.url': '__kafkitImportMetaUrl' },
  banner: { js: "const __kafkitImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [directEntries],
  metafile: true,
  logLevel: 'warning',
})
// A direct command that reached oclif itself would load it twice: refuse to build that.
const oclifInDirect = Object.keys(direct.metafile.inputs).filter((input) => input.includes('node_modules/@oclif/'))
if (oclifInDirect.length > 0) throw new Error(`dist/direct.js bundles oclif: ${oclifInDirect.slice(0, 3).join(', ')}`)

// dist/embedded.js: the embedded broker's process (src/embedded/main.ts, `up --runtime embedded`), one file that loads
// neither oclif nor the commands, so the broker is listening a few tens of milliseconds after Node starts.
// dist/embedded-api.js: the in-process API (src/embedded/index.ts), package.json's "./embedded" export, a bundle of its
// own for the same reason (one file to load; the broker's code, some 330 KB, is in both).
const embedded = await build({
  entryPoints: { embedded: 'src/embedded/main.ts', 'embedded-api': 'src/embedded/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The compression codecs are required lazily from node_modules (src/records/compression.ts), as in the CLI.
  external: ['@bokuweb/zstd-wasm', 'snappyjs', 'lz4js', 'lz4js/*', 'fzstd'],
  banner: {
    js: "import { createRequire as __kafkitCreateRequire } from 'node:module'; const require = __kafkitCreateRequire(import.meta.url);",
  },
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
})
const oclifInEmbedded = Object.keys(embedded.metafile.inputs).filter((input) => input.includes('node_modules/@oclif/'))
if (oclifInEmbedded.length > 0)
  throw new Error(`dist/embedded.js bundles oclif: ${oclifInEmbedded.slice(0, 3).join(', ')}`)

// dist/types/embedded/: the "./embedded" export's declarations. Only the files its public types reach are emitted (the
// entry, then each relative import of an emitted file), not one per module of the broker as `tsc --declaration` would:
// TypeScript's own emitter, one source file at a time, so no declaration-bundling dependency is needed.
emitDeclarations('src/embedded/index.ts', 'dist/types')

function emitDeclarations(entry, outDir) {
  const config = ts.getParsedCommandLineOfConfigFile(
    'tsconfig.json',
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )
  const options = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: resolve('src'),
    outDir: resolve(outDir),
  }
  const program = ts.createProgram([resolve(entry)], options)
  const pending = [resolve(entry)]
  const emitted = new Set()
  while (pending.length > 0) {
    const file = pending.pop()
    if (emitted.has(file)) continue
    emitted.add(file)
    const source = program.getSourceFile(file)
    if (!source) throw new Error(`declarations: ${file} is not in the program`)
    const result = program.emit(
      source,
      (name, text) => {
        mkdirSync(dirname(name), { recursive: true })
        writeFileSync(name, text)
        for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g))
          pending.push(resolve(dirname(file), `${specifier}.ts`))
      },
      undefined,
      true,
    )
    if (result.emitSkipped || result.diagnostics.length > 0)
      throw new Error(
        `declarations of ${file}: ${ts.formatDiagnostics(result.diagnostics, ts.createCompilerHost(options))}`,
      )
  }
  // The public types are a few interfaces: more files would mean they leak the broker's internals.
  if (emitted.size > 4)
    throw new Error(`${entry}'s declarations reach ${emitted.size} files: ${[...emitted].join(', ')}`)
}

if (process.argv.includes('--metafile')) writeFileSync('dist/meta.json', JSON.stringify(result.metafile))
