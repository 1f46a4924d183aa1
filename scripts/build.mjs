// Builds dist/: the CLI bundled by esbuild (ESM, code-split), replacing tsc's file-per-module output (tsc type-checks only).
//   dist/cli.js                     oclif (bundled) and run(), loaded by bin/run.js
//   dist/command-index.js           COMMANDS, every command class (package.json oclif.commands, strategy "explicit")
//   dist/hooks/command-not-found.js the command_not_found hook
//   dist/chunks/                    shared code and everything a command imports lazily (one chunk per dynamic import)
// The entry names mirror src/ so bin/dev.js (oclif's development mode) finds src/command-index.ts and src/hooks/*.ts.
import { build } from 'esbuild'
import { rmSync, writeFileSync } from 'node:fs'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'

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
}
const standIn = (name) => `let real
const load = () => (real ??= require(${JSON.stringify(name)}))
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
  //  - typescript, ts-node: oclif's development mode only (bin/dev.js runs the sources, not this bundle).
  external: ['kafkajs', 'kafkajs/*', '@bokuweb/zstd-wasm', '@oclif/plugin-autocomplete', 'typescript', 'ts-node'],
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
  plugins: [lazyOclifDependencies],
  metafile: true,
  logLevel: 'warning',
})

if (process.argv.includes('--metafile')) writeFileSync('dist/meta.json', JSON.stringify(result.metafile))
