import { requestOrigin } from './public-origin';

describe('requestOrigin', () => {
  it('is the Host the client used, with the connection scheme', () => {
    expect(requestOrigin({ host: 'api.example:8000' }, false, false)).toBe(
      'http://api.example:8000',
    );
    expect(requestOrigin({ host: 'API.Example.' }, true, false)).toBe('https://api.example');
    expect(requestOrigin({ host: '[::1]:3000' }, false, false)).toBe('http://[::1]:3000');
    expect(requestOrigin({ host: '10.0.0.7' }, false, false)).toBe('http://10.0.0.7');
  });

  it('believes X-Forwarded-Host and -Proto (their first value) only behind a trusted proxy', () => {
    const headers = {
      host: 'internal:3000',
      'x-forwarded-host': 'www.example.com, edge.internal',
      'x-forwarded-proto': 'https,http',
    };
    expect(requestOrigin(headers, false, false)).toBe('http://internal:3000');
    expect(requestOrigin(headers, false, true)).toBe('https://www.example.com');
    expect(requestOrigin({ host: 'a.example', 'x-forwarded-proto': 'https' }, false, true)).toBe(
      'https://a.example',
    );
  });

  it('is null for anything that is not a plain host and port', () => {
    for (const host of [
      undefined,
      '',
      'evil.example/path',
      'a b',
      'user@host',
      'host:port',
      'host:123456',
      '"quoted"',
      `${'a'.repeat(300)}.example`,
    ]) {
      expect(requestOrigin({ host }, false, false)).toBeNull();
    }
    expect(
      requestOrigin({ host: 'ok.example', 'x-forwarded-proto': 'javascript' }, false, true),
    ).toBeNull();
  });
});
