import { availableParallelism } from 'node:os';
import { ConfigValidationError, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.BCRYPT_ROUNDS).toBe(12);
    expect(env.TRUST_PROXY).toBe(false);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('leaves one core free of bcrypt work by default', () => {
    expect(validateEnv({}).BCRYPT_CONCURRENCY).toBe(Math.max(1, availableParallelism() - 1));
    expect(validateEnv({ BCRYPT_CONCURRENCY: '3' }).BCRYPT_CONCURRENCY).toBe(3);
    expect(validateEnv({}).BCRYPT_NICE).toBe(10);
    expect(validateEnv({ BCRYPT_NICE: '0' }).BCRYPT_NICE).toBe(0);
  });

  it('converts strings as found in process.env', () => {
    const env = validateEnv({ PORT: '8080', TRUST_PROXY: 'false', JWT_EXPIRES_IN: '600' });
    expect(env.PORT).toBe(8080);
    expect(env.TRUST_PROXY).toBe(false);
    expect(validateEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(env.JWT_EXPIRES_IN).toBe(600);
  });

  it('requires JWT_SECRET and DATABASE_URL in production, naming each in one line', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(ConfigValidationError);
    expect(() =>
      validateEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app' }),
    ).toThrow(/^Invalid configuration: JWT_SECRET must be set when NODE_ENV=production$/);
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /^Invalid configuration: DATABASE_URL must be set when NODE_ENV=production$/,
    );
    expect(
      validateEnv({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        DATABASE_URL: 'postgres://db/app',
      }).NODE_ENV,
    ).toBe('production');
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => validateEnv({ PORT: 'abc' })).toThrow(
      /^Invalid configuration: PORT must be an integer number$/,
    );
    expect(() => validateEnv({ DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
    expect(() => validateEnv({ JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET must be at least 32 characters/,
    );
    expect(() => validateEnv({ BCRYPT_ROUNDS: '40' })).toThrow(/BCRYPT_ROUNDS/);
    expect(() => validateEnv({ BCRYPT_CONCURRENCY: '0' })).toThrow(/BCRYPT_CONCURRENCY/);
    expect(() => validateEnv({ BCRYPT_CONCURRENCY: '1.5' })).toThrow(/BCRYPT_CONCURRENCY/);
    expect(() => validateEnv({ BCRYPT_NICE: '20' })).toThrow(/BCRYPT_NICE/);
    expect(() => validateEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});
