// Migrations in the order they run. `npm run migration:generate -- Name` appends here.
import { Init1795237820443 } from './1795237820443-Init';

export const MIGRATIONS = [Init1795237820443];
