import { randomInt } from 'node:crypto';

/** A valid username ([a-zA-Z0-9_.]{3,32}) derived from an email's local part. */
export function usernameFromEmail(email: string): string {
  // Drop a "+tag": jane+news@x and jane@x are the same person's name.
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  let base = local.replace(/[^a-zA-Z0-9_.]/g, '').slice(0, 24);
  if (base.length < 3) base = `${base}user`.slice(0, 24);
  return base;
}

/** Another candidate when the derived name is taken: the base with a random numeric suffix. */
export function withSuffix(base: string): string {
  return `${base.slice(0, 24)}_${randomInt(1000, 10_000_000)}`;
}
