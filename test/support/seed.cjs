'use strict';
// Rows as the app writes them, inserted in bulk with one statement per table: shared by the
// service-tier factories (test/support/factories.ts) and the benchmarks (bench/*.mjs), so
// both seed the same shape of data. Plain CommonJS: the benches run it without a build.
//
// `run(sql, params)` runs one statement and resolves with its rows (a pg client's or a
// TypeORM DataSource's query, adapted by `runner`).

/** Adapts a pg Client/Pool (`{rows}` results) or a TypeORM DataSource (row arrays). */
function runner(db) {
  return async (sql, params) => {
    const result = await db.query(sql, params);
    return Array.isArray(result) ? result : result.rows;
  };
}

/**
 * `count` verified users `<prefix>-<i>@bench.test` / `<prefix>_<i>` with one password
 * hash; every other one has an avatar on the local driver. Resolves with their ids in order.
 */
async function insertUsers(run, { count, prefix, hashedPassword }) {
  const rows = await run(
    `INSERT INTO users (email, username, hashed_password, avatar_storage, avatar_file_id,
                        avatar_path, is_verified)
     SELECT $3 || '-' || i || '@bench.test', replace($3, '-', '_') || '_' || i, $2,
            CASE WHEN i % 2 = 0 THEN 'local' END, a.path, a.path, true
       FROM generate_series(1, $1::int) AS i,
            LATERAL (SELECT CASE WHEN i % 2 = 0 THEN 'avatars/' || $3 || '-' || i || '.jpg' END
                       AS path) AS a
     ORDER BY i
     RETURNING id`,
    [count, hashedPassword, prefix],
  );
  return rows.map((r) => r.id);
}

/**
 * Posts `from`..`to` (1-based) of a feed of `total` posts by `authorIds` in turn, stored on
 * the local driver: every tenth a video (a 5 GB one: sizes beyond 32 bits), the others JPEG
 * images; every third caption ends with `captionExtra`. Post g is (total - g) / 2 seconds older than `newest`,
 * so two posts share each timestamp and keyset pages must order by id too.
 */
async function insertPosts(
  run,
  {
    authorIds,
    total,
    from = 1,
    to = total,
    newest,
    captionExtra = '',
  },
) {
  return run(
    `INSERT INTO posts (user_id, caption, storage, file_id, file_path, file_type,
                        mime_type, file_name, size, width, height, created_at, updated_at)
     SELECT ($1::uuid[])[1 + s.g % cardinality($1::uuid[])],
            CASE WHEN s.g % 3 = 0 THEN 'post ' || s.g || $6 ELSE 'post ' || s.g END,
            'local', s.path, s.path,
            CASE WHEN s.video THEN 'video' ELSE 'image' END,
            CASE WHEN s.video THEN 'video/mp4' ELSE 'image/jpeg' END,
            CASE WHEN s.video THEN 'clip ' || s.g || '.mp4' ELSE 'photo ' || s.g || '.jpg' END,
            CASE WHEN s.video THEN 5000000000 + s.g ELSE 20000 + s.g END,
            CASE WHEN s.video THEN NULL ELSE 640 + s.g % 7 END,
            CASE WHEN s.video THEN NULL ELSE 480 END,
            s.at, s.at + make_interval(secs => s.g % 5)
       FROM (SELECT g, g % 10 = 0 AS video,
                    'posts/seed-' || gen_random_uuid() || CASE WHEN g % 10 = 0 THEN '.mp4' ELSE '.jpg' END AS path,
                    $5::timestamptz - make_interval(secs => ($2::int - g) / 2) AS at
               FROM generate_series($3::int, $4::int) AS g) AS s
     ORDER BY s.g
     RETURNING id`,
    [authorIds, total, from, to, newest ?? new Date(), captionExtra],
  );
}

/** `count` messages `message <i>` in a room by `senderIds` in turn, with the room's seq counter. */
async function insertMessages(run, { roomId, senderIds, count }) {
  const rows = await run(
    `WITH room AS (
       UPDATE rooms SET last_seq = last_seq + $3::int WHERE id = $1::uuid RETURNING last_seq - $3::int AS base
     )
     INSERT INTO messages (room_id, user_id, content, seq)
     SELECT $1::uuid, ($2::uuid[])[1 + (g - 1) % cardinality($2::uuid[])], 'message ' || g, room.base + g
       FROM room, generate_series(1, $3::int) AS g
     ORDER BY g
     RETURNING id`,
    [roomId, senderIds, count],
  );
  return rows.map((r) => r.id);
}

module.exports = { runner, insertUsers, insertPosts, insertMessages };
