import { visibleSql } from './visibility';

describe('visibleSql', () => {
  it('binds the viewer as a parameter and names only the alias given', () => {
    const sql = visibleSql.post('p', '$1::uuid');
    expect(sql).toContain(
      'p.user_id IN (SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = $1::uuid',
    );
    expect(sql).toContain('NOT p.hidden OR p.user_id = $1::uuid');
    expect(visibleSql.notification('n', '$3')).toBe('n.user_id = $3');
  });

  it.each([
    ['post', 'p; DROP TABLE posts; --', '$1::uuid'],
    ['post', 'p', "'00000000-0000-0000-0000-000000000000'"],
    ['person', 'id', '$1::uuid'],
    ['person', 'u.id OR TRUE', '$1::uuid'],
    ['room', 'r', '$1::text'],
  ] as const)(
    'refuses anything but identifiers and placeholders: %s(%s, %s)',
    (rule, target, param) => {
      expect(() => visibleSql[rule](target, param)).toThrow('Not an identifier or parameter');
    },
  );
});
