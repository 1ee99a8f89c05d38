import bcrypt from 'bcrypt';

// Runs on a bcrypt worker thread (see BcryptWorkers): the synchronous API keeps the work on
// this thread, whose scheduling priority is lowered, instead of libuv's shared pool.

export function hash({ password, rounds }: { password: string; rounds: number }): string {
  return bcrypt.hashSync(password, rounds);
}

export function compare({ password, hash }: { password: string; hash: string }): boolean {
  return bcrypt.compareSync(password, hash);
}
