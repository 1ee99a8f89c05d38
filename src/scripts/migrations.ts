import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentVariables } from '../config/env.validation';
import { runMigrations } from '../database/migrator';
import { withDatabaseUrl, withDataSource, withDataSourceAt } from './with-database';
import { runScript } from './run-script';

function migrate(url: string, embedded: boolean): Promise<string[]> {
  return withDataSourceAt(url, (ds) => runMigrations(ds, { lock: !embedded }));
}

const MIGRATIONS_DIR = resolve(__dirname, '../../src/database/migrations');
const USAGE = 'usage: migrations.js generate <Name> | check | run | revert';

/** TypeORM's own generator, pointed at the compiled data source with the resolved URL. */
function typeormCli(url: string, args: string[]): number {
  const cli = require.resolve('typeorm/cli.js');
  const result = spawnSync(
    process.execPath,
    [cli, ...args, '-d', resolve(__dirname, '../database/data-source.js')],
    { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } },
  );
  return result.status ?? 1;
}

/** Adds the new migration class to the ordered list in migrations/index.ts. */
function registerMigration(before: Set<string>): void {
  const created = readdirSync(MIGRATIONS_DIR).filter(
    (f) => /^\d+-.+\.ts$/.test(f) && !before.has(f),
  );
  const indexPath = join(MIGRATIONS_DIR, 'index.ts');
  let index = readFileSync(indexPath, 'utf8');
  for (const file of created) {
    const source = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    const className = /export class (\w+)/.exec(source)?.[1];
    if (!className) continue;
    const module = `./${file.replace(/\.ts$/, '')}`;
    const importLine = `import { ${className} } from '${module}';\n`;
    const lastImport = index.lastIndexOf('\nimport ');
    const at = lastImport === -1 ? 0 : index.indexOf('\n', lastImport + 1) + 1;
    index = index.slice(0, at) + importLine + index.slice(at);
    index = index.replace(/export const MIGRATIONS[^=]*= \[([^\]]*)\];/, (_m, list: string) => {
      const items = list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return `export const MIGRATIONS = [${[...items, className].join(', ')}];`;
    });
    console.log(`Registered ${className} in src/database/migrations/index.ts`);
  }
  writeFileSync(indexPath, index);
}

async function main(env: EnvironmentVariables): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'generate': {
      if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
        throw new Error(`${USAGE} (Name: letters and digits)`);
      const before = new Set(readdirSync(MIGRATIONS_DIR));
      const status = await withDatabaseUrl(env, (url) =>
        Promise.resolve(
          typeormCli(url, ['migration:generate', '--pretty', join(MIGRATIONS_DIR, name)]),
        ),
      );
      if (status === 0) registerMigration(before);
      return status;
    }
    case 'check':
      // Non-zero when the entities and the migrations disagree.
      return withDatabaseUrl(env, async (url, embedded) => {
        await migrate(url, embedded);
        return typeormCli(url, ['migration:generate', '--check', join(MIGRATIONS_DIR, 'Drift')]);
      });
    case 'run':
      await withDataSource(env, async (ds, embedded) => {
        const applied = await runMigrations(ds, { lock: !embedded });
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations');
      });
      return 0;
    case 'revert':
      await withDataSource(env, async (ds) => {
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration');
      });
      return 0;
    default:
      throw new Error(USAGE);
  }
}

runScript(main);
