import { decodeCursor, encodeCursor } from './cursor';

describe('feed cursor', () => {
  it('round-trips created_at with microseconds and the id', () => {
    const cursor = {
      createdAt: '2026-11-21T05:12:05.352123Z',
      id: '18a3c83d-d4ea-4490-a812-248219e64898',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('2026-01-01|x').toString('base64url'),
    Buffer.from("x' OR 1=1|y").toString('base64url'),
  ])('rejects %j with INVALID_CURSOR', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ code: 'INVALID_CURSOR' }) }),
    );
  });
});
