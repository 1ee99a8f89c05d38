import type { Actor } from './actor';

/**
 * Who may see what: each read rule once as SQL (for the queries that filter pages) and once
 * as a predicate (for the services that hold one loaded object), side by side so the two
 * cannot drift apart; test/medium/visibility-rules.medium-spec.ts runs both over every case.
 *
 * The rules:
 * - person: nobody sees someone apart from them (a block either way);
 * - profile: as person, but superusers see past blocks (they administer accounts);
 * - post, comment: not across a block with the author; hidden by moderation for everyone
 *   but the author and superusers;
 * - room: a private room only to its members;
 * - message: only to the members of its room, public or private (superusers included);
 * - notification: only to the person notified.
 */
export interface VisibilityFacts {
  person: { apart: boolean };
  profile: { apart: boolean };
  post: { authorId: string; hidden: boolean; apart: boolean };
  comment: { authorId: string; hidden: boolean; apart: boolean };
  room: { isPrivate: boolean; isMember: boolean };
  /** Whether the viewer belongs to the message's room. */
  message: { isMember: boolean };
  notification: { ownerId: string };
}

export type Visible = keyof VisibilityFacts;

const moderated = (viewer: Actor, row: { authorId: string; hidden: boolean }): boolean =>
  !row.hidden || row.authorId === viewer.id || viewer.isSuperuser;

/** The rules as predicates over facts loaded with the object. */
export const visible: { [V in Visible]: (viewer: Actor, facts: VisibilityFacts[V]) => boolean } = {
  person: (_viewer, { apart }) => !apart,
  profile: (viewer, { apart }) => !apart || viewer.isSuperuser,
  post: (viewer, post) => !post.apart && moderated(viewer, post),
  comment: (viewer, comment) => !comment.apart && moderated(viewer, comment),
  room: (_viewer, room) => !room.isPrivate || room.isMember,
  message: (_viewer, message) => message.isMember,
  notification: (viewer, notification) => notification.ownerId === viewer.id,
};

// Fragments are composed into statements as text: only identifiers and bind-parameter
// placeholders are accepted, so no value can ever reach the SQL this way.
const PARAM = /^\$\d+(::uuid)?$/;
const ALIAS = /^[a-z_][a-z0-9_]*$/;
const COLUMN = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

function checked(pattern: RegExp, text: string): string {
  if (!pattern.test(text)) throw new Error(`Not an identifier or parameter: ${text}`);
  return text;
}

/**
 * True when `user` (a column) and `viewer` are apart. A hashed set computed once per
 * statement, so a page costs no probe per row.
 */
const apartSql = (user: string, viewer: string): string =>
  `${user} IN (SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = ${viewer}
      UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = ${viewer})`;

/** An uncorrelated sub-select, computed once per statement. */
const superuserSql = (viewer: string): string =>
  `EXISTS (SELECT 1 FROM users su WHERE su.id = ${viewer} AND su.is_superuser)`;

const moderatedSql = (alias: string, author: string, viewer: string): string =>
  `(NOT ${alias}.hidden OR ${author} = ${viewer} OR ${superuserSql(viewer)})`;

/**
 * The same rules as SQL conditions: `visibleSql.post('p', '$1::uuid')` is true for the rows
 * of `posts p` the viewer bound to $1 may see. Arguments are a table alias (or for people a
 * qualified column holding the user id) and the viewer's placeholder.
 */
export const visibleSql: { [V in Visible]: (target: string, viewer: string) => string } = {
  person: (userColumn, viewer) =>
    `NOT ${apartSql(checked(COLUMN, userColumn), checked(PARAM, viewer))}`,
  profile: (userColumn, viewer) =>
    `(NOT ${apartSql(checked(COLUMN, userColumn), checked(PARAM, viewer))} OR ${superuserSql(viewer)})`,
  post: (alias, viewer) => {
    const [p, v] = [checked(ALIAS, alias), checked(PARAM, viewer)];
    return `(NOT ${apartSql(`${p}.user_id`, v)} AND ${moderatedSql(p, `${p}.user_id`, v)})`;
  },
  comment: (alias, viewer) => {
    const [c, v] = [checked(ALIAS, alias), checked(PARAM, viewer)];
    return `(NOT ${apartSql(`${c}.author_id`, v)} AND ${moderatedSql(c, `${c}.author_id`, v)})`;
  },
  room: (alias, viewer) => {
    const [r, v] = [checked(ALIAS, alias), checked(PARAM, viewer)];
    return `(NOT ${r}.is_private OR EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = ${r}.id AND rm.user_id = ${v}))`;
  },
  message: (alias, viewer) => {
    const [m, v] = [checked(ALIAS, alias), checked(PARAM, viewer)];
    return `EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = ${m}.room_id AND rm.user_id = ${v})`;
  },
  notification: (alias, viewer) => `${checked(ALIAS, alias)}.user_id = ${checked(PARAM, viewer)}`,
};
