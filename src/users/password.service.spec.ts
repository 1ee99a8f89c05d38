import { readdirSync, readFileSync } from 'node:fs';
import { BcryptWorkers } from './bcrypt-workers';
import { PasswordService } from './password.service';

const config = (bcryptConcurrency: number) =>
  ({ bcryptRounds: 4, bcryptConcurrency, bcryptNice: 10 }) as ConstructorParameters<
    typeof PasswordService
  >[0];

describe('PasswordService', () => {
  // One pool of bcrypt threads serves every service of this file.
  const workers = new BcryptWorkers(config(2));
  const service = new PasswordService(config(2), workers);
  const spyOnHash = () => jest.spyOn(workers, 'hash');
  beforeAll(() => service.onModuleInit());
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => workers.onModuleDestroy());

  it('enforces 8..72 bytes, counting bytes rather than characters', () => {
    expect(service.policyViolation('1234567', 'a@b.co')).toMatch(/at least 8/);
    expect(service.policyViolation('12345678', 'a@b.co')).toBeNull();
    expect(service.policyViolation('a'.repeat(72), 'a@b.co')).toBeNull();
    expect(service.policyViolation('é'.repeat(37), 'a@b.co')).toMatch(/at most 72/);
  });

  it('refuses a password containing the email, in any case', () => {
    expect(service.policyViolation('My-Jane@Example.com-pw', 'jane@example.com')).toMatch(/email/);
  });

  it('hashes with bcrypt and verifies', async () => {
    const hash = await service.hash('correct horse');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    await expect(service.verify('correct horse', hash)).resolves.toBe(true);
    await expect(service.verify('wrong horse', hash)).resolves.toBe(false);
  });

  it('never verifies a missing account or a password beyond 72 bytes', async () => {
    await expect(service.verify('anything', undefined)).resolves.toBe(false);
    const hash = await service.hash('x'.repeat(72));
    await expect(service.verify('x'.repeat(80), hash)).resolves.toBe(false);
  });

  it('hashes on threads of lower priority than the caller', async () => {
    const nice = (await import('node:os')).getPriority();
    const probe = new BcryptWorkers(config(1));
    try {
      // A thread's nice value is field 19 of its stat line (after the command's parentheses).
      const niceOf = (tid: number) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      await probe.hash('warm the thread up', 4);
      const threads = readdirSync('/proc/self/task').map(Number);
      // The bcrypt threads are the only ones of this process at the lowered priority.
      const lowered = threads.filter((tid) => niceOf(tid) === Math.min(19, nice + 10));
      expect(lowered.length).toBeGreaterThanOrEqual(1);
      expect(niceOf(process.pid)).toBe(nice);
    } finally {
      await probe.onModuleDestroy();
    }
  });

  it('still runs one comparison, at the configured cost, for a missing account', async () => {
    const compare = jest.spyOn(workers, 'compare');
    await service.verify('anything', undefined);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(compare).toHaveBeenCalledWith('anything', expect.stringMatching(/^\$2b\$04\$/));
  });

  describe('concurrency', () => {
    /** Replaces bcrypt with slow fakes that record how many run at once, and in which order. */
    const observe = () => {
      const seen = { running: 0, most: 0, started: [] as string[] };
      const work = async (password: string) => {
        seen.started.push(password);
        seen.running += 1;
        seen.most = Math.max(seen.most, seen.running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.running -= 1;
      };
      const hash = async (password: string) => {
        await work(password);
        return `hashed:${password}`;
      };
      const compare = async (password: string) => {
        await work(password);
        return true;
      };
      spyOnHash().mockImplementation(hash);
      jest.spyOn(workers, 'compare').mockImplementation(compare);
      return seen;
    };

    it.each([1, 3])(
      'runs at most %i hashes and comparisons at once, the others in arrival order',
      async (limit) => {
        const limited = new PasswordService(config(limit), workers);
        const seen = observe();
        const passwords = Array.from({ length: 9 }, (_, i) => `password-${i}`);
        const results = await Promise.all(
          passwords.map((p, i) => (i % 3 === 2 ? limited.verify(p, 'stored') : limited.hash(p))),
        );
        expect(seen.most).toBe(limit);
        expect(seen.started).toEqual(passwords);
        expect(results).toEqual(passwords.map((p, i) => (i % 3 === 2 ? true : `hashed:${p}`)));
      },
    );

    it('lets a failed hash free its slot', async () => {
      const limited = new PasswordService(config(1), workers);
      spyOnHash().mockRejectedValueOnce(new Error('boom'));
      await expect(limited.hash('first')).rejects.toThrow('boom');
      jest.restoreAllMocks();
      await expect(limited.hash('second')).resolves.toMatch(/^\$2b\$04\$/);
    });
  });
});
