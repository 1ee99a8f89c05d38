import { Test } from '@nestjs/testing';
import { APP_ENV, appConfig, databaseConfig, jwtConfig, mediaConfig } from './configuration';
import { ConfigurationModule } from './configuration.module';
import { validateEnv } from './env.validation';

const SECRET = 'a-secret-that-is-long-enough-for-hs256-0123456789';

describe('configuration namespaces', () => {
  it('are derived from the environment they are given', () => {
    const env = validateEnv({
      DATA_DIR: '/srv/data',
      ALLOWED_ORIGINS: ' http://a.example, ,http://b.example',
      PUBLIC_URL: 'http://api.example/',
      JWT_SECRET: SECRET,
    });
    expect(appConfig(env)).toMatchObject({
      dataDir: '/srv/data',
      allowedOrigins: ['http://a.example', 'http://b.example'],
      publicUrl: 'http://api.example',
    });
    expect(databaseConfig(env).embeddedDir).toBe('/srv/data/pg');
    expect(mediaConfig(env).dir).toBe('/srv/data/media');
    expect(jwtConfig(env).secret).toBe(SECRET);
  });

  it('without PUBLIC_URL, links made outside a request point at the port the app listens on', () => {
    const at8000 = appConfig(validateEnv({ PORT: '8000', JWT_SECRET: SECRET }));
    expect(at8000.publicUrl).toBeNull();
    expect(at8000.defaultOrigin).toBe('http://localhost:8000');
    expect(appConfig(validateEnv({ JWT_SECRET: SECRET })).defaultOrigin).toBe(
      'http://localhost:3000',
    );
  });

  it('are provided from APP_ENV, so overriding it reconfigures them all', async () => {
    const given = validateEnv({ JWT_SECRET: SECRET, DATA_DIR: '/one' });
    const instead = validateEnv({ JWT_SECRET: SECRET, DATA_DIR: '/two', BCRYPT_ROUNDS: '5' });
    const plain = await Test.createTestingModule({
      imports: [ConfigurationModule.forRoot(given)],
    }).compile();
    const overridden = await Test.createTestingModule({
      imports: [ConfigurationModule.forRoot(given)],
    })
      .overrideProvider(APP_ENV)
      .useValue(instead)
      .compile();

    expect(plain.get(APP_ENV)).toBe(given);
    expect(plain.get(mediaConfig.KEY)).toMatchObject({ dir: '/one/media' });
    expect(overridden.get(mediaConfig.KEY)).toMatchObject({ dir: '/two/media' });
    expect(overridden.get(jwtConfig.KEY)).toMatchObject({ bcryptRounds: 5 });
  });
});
