/**
 * The layering rules (docs/DESIGN.md, "Layout"): each layer reads only the layers below it, and one import style.
 * `npm test` runs `depcruise` with this file; a violation names its rule and the comment below says why.
 */
const TOP = '^(shared|functions|infra|local|bench|test|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'shared-reads-nothing-above-it',
      comment:
        'shared/ is the domain and the service declarations that everything else reads: it must not import the ' +
        'stack, the sandbox, the handlers, the benchmark, the tests or the scripts.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(infra|local|functions|bench|test|scripts)/' },
    },
    {
      name: 'functions-read-only-shared',
      comment: 'A handler wires middy to shared/: it must not import the stack, the sandbox, the benchmark or the tests.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(infra|local|bench|test|scripts)/' },
    },
    {
      name: 'infra-and-local-are-independent',
      comment:
        'The CDK stack and the local sandbox both read the declarations in shared/service/; neither may read the ' +
        'other, so each stays a faithful, separate reading of the one source of truth.',
      severity: 'error',
      from: { path: '^(infra|local)/' },
      to: { path: '^(infra|local)/', pathNot: '^$1/' },
    },
    {
      name: 'deployed-code-never-reads-tests-or-bench',
      comment: 'The stack and the sandbox must not depend on test or benchmark code.',
      severity: 'error',
      from: { path: '^(infra|local)/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'no-circular',
      comment: 'An import circle makes load order matter and hides which module owns a concept: break it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'subpath-imports-between-folders',
      comment:
        'Import style: between top-level folders use the package.json subpath imports (#shared/…, #local/…), ' +
        'not ../ paths.',
      severity: 'error',
      from: { path: `${TOP}` },
      to: { path: `${TOP}`, pathNot: '^$1/', dependencyTypesNot: ['aliased-subpath-import'] },
    },
    {
      name: 'relative-imports-inside-a-folder',
      comment:
        'Import style: inside one top-level folder use relative paths with .ts (../record/record-store.ts), not ' +
        'the #folder/ subpath import of the folder itself.',
      severity: 'error',
      from: { path: `${TOP}` },
      to: { path: '^$1/', dependencyTypes: ['aliased-subpath-import'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve would fail at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|bench/tmp|\\.sandbox)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
