// Layering rules of the API, checked in CI (`npm run lint:deps`). Infrastructure serves the
// features and never the other way round; within a feature, requests flow controller →
// service → repository, and only repositories speak SQL.
const INFRASTRUCTURE = '(config|common|database|mail|realtime|access)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide which way a dependency points; break them with an interface.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'infrastructure-imports-no-feature',
      severity: 'error',
      comment: `src/${INFRASTRUCTURE} is shared by every feature and imports none of them.`,
      from: { path: `^src/${INFRASTRUCTURE}/` },
      to: { path: '^src/', pathNot: `^src/${INFRASTRUCTURE}/` },
    },
    {
      name: 'controllers-call-services',
      severity: 'error',
      comment: 'A controller reaches data through a service, never a repository.',
      from: { path: '\\.controller\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'repositories-are-private',
      severity: 'error',
      comment:
        "A feature asks another feature's service, not its repository: the owner decides what its data means.",
      // Repositories may compose another feature's SQL fragments (a feed joins likes).
      from: { path: '^src/([^/]+)/', pathNot: ['^src/(database|scripts)/', '\\.repository\\.ts$'] },
      to: { path: '^src/([^/]+)/.+\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'sql-only-in-repositories',
      severity: 'error',
      comment:
        'Raw SQL runs in *.repository.ts files only (the database folder and migrations aside).',
      from: {
        path: '^src/',
        pathNot: ['\\.repository\\.ts$', '^src/database/', '^src/scripts/'],
      },
      to: { path: '^src/database/raw-query\\.ts$' },
    },
    {
      name: 'database-only-in-repositories',
      severity: 'error',
      comment:
        'Services and controllers ask repositories: only *.repository.ts files (with modules ' +
        'registering entities, the entities themselves, the database folder and the scripts) ' +
        'import TypeORM or pg. How repositories reach the database: src/database/raw-query.ts.',
      from: {
        path: '^src/',
        pathNot: [
          '\\.repository\\.ts$',
          '\\.module\\.ts$',
          '\\.entity\\.ts$',
          '^src/database/',
          '^src/scripts/',
        ],
      },
      to: { path: '^node_modules/(typeorm|@nestjs/typeorm|pg)/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports is dead code (entry points and specs aside).',
      from: {
        orphan: true,
        path: '^src/',
        pathNot: [
          '\\.spec\\.ts$',
          '\\.d\\.ts$',
          '^src/main\\.ts$',
          '^src/scripts/',
          '\\.worker\\.ts$',
          '^src/database/data-source\\.ts$',
        ],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
