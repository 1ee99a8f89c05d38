import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const service = new PasswordService({ bcryptRounds: 4 } as never);
  beforeAll(() => service.onModuleInit());

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
});
