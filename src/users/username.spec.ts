import { usernameFromEmail, withSuffix } from './username';
import { USERNAME_PATTERN } from './dto/user-fields';

describe('usernameFromEmail', () => {
  it('keeps the allowed characters of the local part', () => {
    expect(usernameFromEmail('jane.doe+news@example.com')).toBe('jane.doe');
  });

  it('pads names that would be too short', () => {
    expect(usernameFromEmail('j@example.com')).toBe('juser');
    expect(usernameFromEmail('++@example.com')).toBe('user');
  });

  it('always produces a valid username, also with a suffix', () => {
    const long = `${'a'.repeat(64)}@example.com`;
    for (const email of ['ü@x.io', long, 'a-b-c@d.e', 'x_y.z@q.r']) {
      expect(usernameFromEmail(email)).toMatch(USERNAME_PATTERN);
      expect(withSuffix(usernameFromEmail(email))).toMatch(USERNAME_PATTERN);
    }
  });
});
