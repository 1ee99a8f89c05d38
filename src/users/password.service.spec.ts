import bcrypt from 'bcrypt';
import { PasswordService } from './password.service';

const config = (bcryptConcurrency: number) =>
  ({ bcryptRounds: 4, bcryptConcurrency }) as ConstructorParameters<typeof PasswordService>[0];

// bcrypt's types overload each function with a callback form: spy on the promise form.
type Hash = (data: string, rounds: number) => Promise<string>;
type Compare = (data: string, encrypted: string) => Promise<boolean>;
const spyOnHash = () => jest.spyOn(bcrypt, 'hash') as unknown as jest.SpiedFunction<Hash>;

describe('PasswordService', () => {
  const service = new PasswordService(config(2));
  beforeAll(() => service.onModuleInit());
  afterEach(() => jest.restoreAllMocks());

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

  it('still runs one comparison, at the configured cost, for a missing account', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
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
      (jest.spyOn(bcrypt, 'compare') as unknown as jest.SpiedFunction<Compare>).mockImplementation(
        compare,
      );
      return seen;
    };

    it.each([1, 3])(
      'runs at most %i hashes and comparisons at once, the others in arrival order',
      async (limit) => {
        const limited = new PasswordService(config(limit));
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
      const limited = new PasswordService(config(1));
      spyOnHash().mockRejectedValueOnce(new Error('boom'));
      await expect(limited.hash('first')).rejects.toThrow('boom');
      jest.restoreAllMocks();
      await expect(limited.hash('second')).resolves.toMatch(/^\$2b\$04\$/);
    });
  });
});
