import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { MIGRATIONS } from '../../src/database/migrations';
import { typeOrmOptions } from '../../src/database/typeorm.options';
import { freshDatabase } from '../support/test-app';

const BEFORE = MIGRATIONS.findIndex((m) => m.name.startsWith('MediaKeys'));

// Rows written when posts, avatars and chat files stored absolute links: the MediaKeys
// migration keeps the storage paths and drops the links, so they are built per response.
describe('MediaKeys migration (medium)', () => {
  let drop: () => Promise<void>;
  let embedded: EmbeddedPostgres | undefined;
  let url: string;

  beforeAll(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    if (database.url) url = database.url;
    else {
      embedded = new EmbeddedPostgres({ dataDir: 'memory://', maxConnections: 4 });
      url = await embedded.start();
    }
  });
  afterAll(async () => {
    await drop();
    await embedded?.stop();
  });

  const at = (count: number) =>
    new DataSource({ ...typeOrmOptions(url, 2), migrations: MIGRATIONS.slice(0, count) });

  it('turns stored links into storage paths, and back on revert', async () => {
    expect(BEFORE).toBeGreaterThan(0);
    const old = await at(BEFORE).initialize();
    await old.runMigrations();
    const [local, ik, custom] = await old.query(
      `INSERT INTO users (email, username, hashed_password, avatar_url, avatar_storage, avatar_file_id)
       VALUES ('a@x.test', 'a', 'h', 'http://localhost:3000/media/avatars/a.jpg?tr=w-400%2Ch-400%2Cc-at_max',
               'local', 'avatars/a.jpg'),
              ('b@x.test', 'b', 'h', 'https://ik.imagekit.io/acct42/media-chat/avatars/b_x1.jpg?tr=w-400,h-400,c-at_max',
               'imagekit', 'ikfile-b'),
              ('c@x.test', 'c', 'h', 'https://img.example.com/media-chat/avatars/c.png',
               'imagekit', 'ikfile-c')
       RETURNING id`,
    );
    await old.query(
      `INSERT INTO users (email, username, hashed_password) VALUES ('d@x.test', 'd', 'h')`,
    );
    await old.query(
      `INSERT INTO posts (user_id, storage, file_id, file_path, url, thumbnail_url, file_type,
                          mime_type, file_name, size)
       VALUES ($1, 'local', 'posts/p.jpg', 'posts/p.jpg', 'http://localhost:3000/media/posts/p.jpg',
               'http://localhost:3000/media/posts/p.jpg?tr=w-400', 'image', 'image/jpeg', 'p.jpg', 10)`,
      [local.id],
    );
    await old.query(
      `INSERT INTO chat_uploads (owner_id, storage, file_id, url, file_name, mime_type, category, size)
       VALUES ($1, 'local', 'uploads/n.pdf', 'http://localhost:8000/media/uploads/n.pdf', 'n.pdf',
               'application/pdf', 'document', 5),
              ($2, 'imagekit', 'ikfile-u', 'https://ik.imagekit.io/acct42/media-chat/uploads/u.pdf',
               'u.pdf', 'application/pdf', 'document', 5)`,
      [local.id, ik.id],
    );
    await old.destroy();

    const current = await at(MIGRATIONS.length).initialize();
    expect((await current.runMigrations()).map((m) => m.name)).toEqual([
      MIGRATIONS[BEFORE].name,
      ...MIGRATIONS.slice(BEFORE + 1).map((m) => m.name),
    ]);
    const users = await current.query(
      `SELECT id, avatar_storage, avatar_path FROM users ORDER BY email`,
    );
    expect(users.map((u: { avatar_path: string | null }) => u.avatar_path)).toEqual([
      'avatars/a.jpg',
      '/media-chat/avatars/b_x1.jpg',
      '/media-chat/avatars/c.png',
      null,
    ]);
    expect(users[2].id).toBe(custom.id);
    const uploads = await current.query(
      `SELECT storage, path FROM chat_uploads ORDER BY file_name`,
    );
    expect(uploads).toEqual([
      { storage: 'local', path: 'uploads/n.pdf' },
      { storage: 'imagekit', path: '/media-chat/uploads/u.pdf' },
    ]);
    const columns = await current.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_name IN ('posts', 'users', 'chat_uploads') AND column_name LIKE '%url%'`,
    );
    expect(columns).toEqual([]);
    const [post] = await current.query(`SELECT storage, file_path FROM posts`);
    expect(post).toEqual({ storage: 'local', file_path: 'posts/p.jpg' });

    // Down: links come back, root-relative for the local driver (the origin is not known).
    for (let i = MIGRATIONS.length; i > BEFORE; i--) await current.undoLastMigration();
    const [reverted] = await current.query(`SELECT url, thumbnail_url FROM posts`);
    expect(reverted).toEqual({ url: '/media/posts/p.jpg', thumbnail_url: null });
    const avatars = await current.query(`SELECT avatar_url FROM users ORDER BY email`);
    expect(avatars.map((u: { avatar_url: string | null }) => u.avatar_url)).toEqual([
      '/media/avatars/a.jpg',
      '/media-chat/avatars/b_x1.jpg',
      '/media-chat/avatars/c.png',
      null,
    ]);
    await current.destroy();
  });
});
