import type { FastifyReply, FastifyRequest } from 'fastify';
import { createAppLogger, loggableUrl, RequestLogController } from './app-logger';

describe('loggableUrl', () => {
  it('masks the values of credential-like query parameters only', () => {
    expect(loggableUrl('/feed?limit=20&cursor=abc')).toBe('/feed?limit=20&cursor=abc');
    expect(loggableUrl('/api/ws/7?token=eyJ.a.b')).toBe('/api/ws/7?token=[Redacted]');
    expect(loggableUrl('/x?a=1&access_token=s3cr3t&b=2')).toBe(
      '/x?a=1&access_token=[Redacted]&b=2',
    );
    expect(loggableUrl('/reset-password?Token=abc#frag')).toBe(
      '/reset-password?Token=[Redacted]#frag',
    );
    expect(loggableUrl('/x?password=hunter2&new_password=')).toBe(
      '/x?password=[Redacted]&new_password=[Redacted]',
    );
    expect(loggableUrl('/users/me')).toBe('/users/me');
  });
});

describe('RequestLogController', () => {
  const controller = new RequestLogController();
  const complete = (statusCode: number, route: string | undefined, error?: Error) => {
    const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const request = { method: 'GET', url: '/x?token=t', routeOptions: { url: route } };
    const reply = { statusCode, elapsedTime: 1.23456, log };
    controller.requestCompleted(
      error,
      request as unknown as FastifyRequest,
      reply as unknown as FastifyReply,
    );
    return log;
  };

  it('writes one line whose level follows the status', () => {
    const line = {
      method: 'GET',
      url: '/x?token=[Redacted]',
      route: '/x',
      statusCode: 200,
      responseTime: 1.23,
    };
    expect(complete(200, '/x').info).toHaveBeenCalledWith(line, 'request completed');
    expect(complete(404, '/x').warn).toHaveBeenCalledWith(
      { ...line, statusCode: 404 },
      'request completed',
    );
    expect(complete(503, '/x').error).toHaveBeenCalledWith(
      { ...line, statusCode: 503 },
      'request completed',
    );
    const failed = new Error('socket hang up');
    expect(complete(200, '/x', failed).error).toHaveBeenCalledWith(
      { ...line, err: failed },
      'request errored',
    );
  });

  it('skips the liveness probe', () => {
    const log = complete(200, '/health/live');
    expect([log.info, log.warn, log.error].every((fn) => fn.mock.calls.length === 0)).toBe(true);
  });
});

describe('createAppLogger', () => {
  it('redacts credentials from any request or response object that gets logged', () => {
    const written: string[] = [];
    const logger = createAppLogger('info', { write: (line: string) => void written.push(line) });
    logger.info({
      req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: '*/*' } },
      res: { headers: { 'set-cookie': 'sid=2' } },
    });
    const line = JSON.parse(written[0]);
    expect(line.req.headers).toEqual({
      authorization: '[Redacted]',
      cookie: '[Redacted]',
      accept: '*/*',
    });
    expect(line.res.headers['set-cookie']).toBe('[Redacted]');
  });

  it('is silent at LOG_LEVEL=silent', () => {
    const written: string[] = [];
    const logger = createAppLogger('silent', { write: (line: string) => void written.push(line) });
    logger.error('nothing');
    expect(written).toEqual([]);
  });
});
