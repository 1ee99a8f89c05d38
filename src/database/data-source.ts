import { DataSource } from 'typeorm';
import { ENTITY_FILES, typeOrmOptions } from './typeorm.options';

// Entry point for the TypeORM CLI (used by `npm run migration:generate`, which sets
// DATABASE_URL, starting the embedded database first when none is configured).
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set');
export default new DataSource(typeOrmOptions(process.env.DATABASE_URL, 10, [ENTITY_FILES]));
