/**
 * SQL true when a moderated row (a post or comment with a `hidden` flag) is visible to the
 * viewer `viewerParam`: not hidden, or the viewer wrote it, or the viewer is a superuser
 * (an uncorrelated sub-select, computed once per statement).
 */
export function moderationVisibleSql(
  alias: string,
  authorSql: string,
  viewerParam: string,
): string {
  return `(NOT ${alias}.hidden OR ${authorSql} = ${viewerParam}
    OR EXISTS (SELECT 1 FROM users su WHERE su.id = ${viewerParam} AND su.is_superuser))`;
}
