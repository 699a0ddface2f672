// The house rules for imports (see README "Architecture" and ../shared/DESIGN.md): an import only goes down.
// `npm run check:deps` runs these in CI; test/architecture-rules.test.ts shows a broken rule fails it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles: a module and what it imports form a tree, so each can be read and tested alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'results-stay-at-the-bottom',
      severity: 'error',
      comment: 'src/results is the contract between measuring and rendering: it imports nothing from src/ but stats and errors.',
      from: { path: '^src/results/' },
      to: { path: '^src/', pathNot: ['^src/results/', '^src/stats/', '^src/errors\\.ts$'] },
    },
    {
      name: 'stats-and-errors-import-nothing-above',
      severity: 'error',
      comment: 'The stats module and the error types are the floor every layer stands on.',
      from: { path: ['^src/stats/', '^src/errors\\.ts$'] },
      to: { path: '^src/', pathNot: ['^src/stats/', '^src/errors\\.ts$'] },
    },
    {
      name: 'benchmarks-are-built-on-src',
      severity: 'error',
      comment: 'benchmarks/ holds the tinybench and autocannon suites built on src/; nothing under src/ but the command layer imports them.',
      from: { path: '^src/', pathNot: '^src/commands/' },
      to: { path: '^benchmarks/' },
    },
    {
      name: 'renderers-only-render',
      severity: 'error',
      comment: 'src/report reads results and formats them; it never imports measuring, serving or orchestration code.',
      from: { path: '^src/report/' },
      to: { path: '^src/', pathNot: ['^src/report/', '^src/results/', '^src/stats/', '^src/errors\\.ts$', '^src/version\\.ts$'] },
    },
    {
      name: 'serving-never-imports-load',
      severity: 'error',
      comment: 'The system under test does not know the load that measures it.',
      from: { path: '^src/serving/' },
      to: { path: ['^src/load/', '^src/run/', '^src/commands/', '^src/report/'] },
    },
    {
      name: 'only-the-cli-imports-commands',
      severity: 'error',
      comment: 'Commands are the top layer: parse flags, call, print, exit code.',
      from: { path: '^src/', pathNot: ['^src/commands/', '^src/cli\\.ts$'] },
      to: { path: '^src/commands/' },
    },
    {
      name: 'suites-never-import-orchestration',
      severity: 'error',
      comment: 'src/run knows every suite; suites and what they stand on never import it.',
      from: { path: '^src/', pathNot: ['^src/run/', '^src/commands/', '^src/cli\\.ts$', '^src/index\\.ts$'] },
      to: { path: '^src/run/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^(src|benchmarks)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^native/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
