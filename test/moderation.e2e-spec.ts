import { UsersService } from '../src/users/users.service';
import { form, jpeg } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { logIn, signUp, type TestUser } from './support/users';

describe('Reports and moderation (e2e)', () => {
  let t: TestApp;
  let author: TestUser;
  let reader: TestUser;
  let admin: TestUser;

  const post = async (user: TestUser, caption = 'p'): Promise<string> => {
    const res = await t.http.post('/upload', {
      token: user.token,
      multipart: form({ file: { bytes: await jpeg(8, 8), name: 'p.jpg' }, caption }),
    });
    return res.body.id as string;
  };
  const report = (user: TestUser, target_type: string, target_id: string, reason = 'spam') =>
    t.http.post('/reports', { token: user.token, json: { target_type, target_id, reason } });
  const resolve = (id: string, action: string, token = admin.token) =>
    t.http.post(`/admin/reports/${id}/resolve`, { token, json: { action } });

  beforeAll(async () => {
    t = await createTestApp();
    [author, reader] = [await signUp(t.http), await signUp(t.http)];
    await t.app.get(UsersService).ensureSuperuser('mod@example.com', 'moderator password');
    admin = {
      id: '',
      email: 'mod@example.com',
      password: 'moderator password',
      username: '',
      token: await logIn(t.http, 'mod@example.com', 'moderator password'),
    };
  });
  afterAll(() => t.close());

  it('takes one open report per reporter and target, and validates it', async () => {
    const id = await post(author);
    const first = await report(reader, 'post', id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'open', action: null, target_type: 'post' });
    const again = await report(reader, 'post', id);
    expect([again.status, again.body.code]).toEqual([409, 'REPORT_ALREADY_OPEN']);
    const ghost = await report(reader, 'post', '00000000-0000-4000-8000-000000000000');
    expect([ghost.status, ghost.body.code]).toEqual([404, 'TARGET_NOT_FOUND']);
    const badType = await report(reader, 'room', id);
    expect([badType.status, badType.body.code]).toEqual([400, 'VALIDATION_ERROR']);
    const empty = await report(reader, 'post', id, '');
    expect(empty.status).toBe(400);
    expect((await report(reader, 'post', id, 'x'.repeat(1001))).status).toBe(400);
  });

  it('only superusers list and resolve', async () => {
    expect((await t.http.get('/admin/reports', { token: reader.token })).status).toBe(403);
    const list = await t.http.get('/admin/reports?status=open', { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const denied = await resolve(list.body.items[0].id, 'dismiss', reader.token);
    expect(denied.status).toBe(403);
  });

  it('hide: the post disappears for everyone but its author (hidden: true) and superusers', async () => {
    const id = await post(author, 'hide me #hidetest');
    await t.http.post(`/posts/${id}/comments`, { token: reader.token, json: { content: 'c' } });
    const r = await report(reader, 'post', id);
    const other = await signUp(t.http);
    const second = await report(other, 'post', id, 'also bad');
    const done = await resolve(r.body.id, 'hide');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'resolved',
      action: 'hide',
      resolved_at: expect.any(String),
    });
    expect(done.body.resolved_by).toMatch(/^[0-9a-f-]{36}$/);
    // Both reports on the post are resolved by the one action.
    const resolved = await t.http.get('/admin/reports?status=resolved&limit=100', {
      token: admin.token,
    });
    expect(resolved.body.items.map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining([r.body.id, second.body.id]),
    );
    const again = await resolve(r.body.id, 'delete');
    expect([again.status, again.body.code]).toEqual([409, 'REPORT_RESOLVED']);

    expect((await t.http.get(`/posts/${id}`, { token: reader.token })).status).toBe(404);
    const feed = await t.http.get('/feed?limit=100', { token: reader.token });
    expect(feed.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await t.http.get('/tags/hidetest/posts', { token: reader.token })).body.items).toEqual(
      [],
    );
    const like = await t.http.post(`/posts/${id}/like`, { token: reader.token });
    expect(like.status).toBe(404);
    const mine = await t.http.get(`/posts/${id}`, { token: author.token });
    expect(mine.body).toMatchObject({ id, hidden: true });
    const asAdmin = await t.http.get(`/posts/${id}`, { token: admin.token });
    expect(asAdmin.body.hidden).toBe(true);
  });

  it('hide a comment, delete a post, delete a chat message, ban an author', async () => {
    const id = await post(author);
    const comment = await t.http.post(`/posts/${id}/comments`, {
      token: author.token,
      json: { content: 'rude' },
    });
    const rc = await report(reader, 'comment', comment.body.id);
    await resolve(rc.body.id, 'hide');
    // A hidden comment cannot be reported (nor probed) by someone who cannot see it.
    const bystander = await signUp(t.http);
    const hiddenProbe = await report(bystander, 'comment', comment.body.id);
    expect([hiddenProbe.status, hiddenProbe.body.code]).toEqual([404, 'TARGET_NOT_FOUND']);
    const seen = await t.http.get(`/posts/${id}/comments`, { token: reader.token });
    expect(seen.body.items).toEqual([]);
    const own = await t.http.get(`/posts/${id}/comments`, { token: author.token });
    expect(own.body.items[0]).toMatchObject({ id: comment.body.id, hidden: true });
    // Counts are of what readers see: the hidden comment stops counting, a visible one and a
    // reply to it count; deleting the hidden one changes nothing.
    const kind = await t.http.post(`/posts/${id}/comments`, {
      token: reader.token,
      json: { content: 'kind' },
    });
    await t.http.post(`/posts/${id}/comments`, {
      token: author.token,
      json: { content: 'thanks', parent_id: kind.body.id },
    });
    const counted = async () => (await t.http.get(`/posts/${id}`, { token: reader.token })).body;
    expect((await counted()).comment_count).toBe(2);
    expect(
      (await t.http.delete(`/comments/${comment.body.id}`, { token: author.token })).status,
    ).toBe(204);
    expect((await counted()).comment_count).toBe(2);
    const rr = await report(author, 'comment', kind.body.id);
    await resolve(rr.body.id, 'hide');
    expect((await counted()).comment_count).toBe(1);

    const rp = await report(reader, 'post', id);
    await resolve(rp.body.id, 'delete');
    expect((await t.http.get(`/posts/${id}`, { token: author.token })).status).toBe(404);

    const room = await t.http.post('/api/rooms', { token: author.token, json: { name: 'm' } });
    await t.http.post(`/api/rooms/${room.body.id}/join`, { token: reader.token });
    const message = await t.http.post(`/api/rooms/${room.body.id}/messages`, {
      token: author.token,
      json: { content: 'buy now' },
    });
    const outsider = await signUp(t.http);
    const probe = await report(outsider, 'message', message.body.id);
    expect([probe.status, probe.body.code]).toEqual([404, 'TARGET_NOT_FOUND']);
    const rm = await report(reader, 'message', message.body.id);
    expect(rm.status).toBe(201);
    await resolve(rm.body.id, 'delete');
    const history = await t.http.get(`/api/rooms/${room.body.id}/messages`, {
      token: reader.token,
    });
    expect(history.body.items).toEqual([]);

    const ru = await report(reader, 'user', author.id, 'spammer');
    const hideUser = await resolve(ru.body.id, 'hide');
    expect([hideUser.status, hideUser.body.code]).toEqual([400, 'UNSUPPORTED_ACTION']);
    const ban = await resolve(ru.body.id, 'ban');
    expect(ban.status).toBe(200);
    expect((await t.http.get('/users/me', { token: author.token })).status).toBe(401);
    const profile = await t.http.get(`/users/${author.id}`, { token: admin.token });
    expect(profile.body.is_active).toBe(false);
  });
});
