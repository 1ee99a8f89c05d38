import { DataSource } from 'typeorm';
import type { HttpResponse } from './support/http';
import { form, jpeg } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

describe('Social: follows, the following feed and likes (e2e)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  const post = async (user: TestUser, caption: string): Promise<string> => {
    const res = await t.http.post('/upload', {
      token: user.token,
      multipart: form({ file: { bytes: await jpeg(8, 8), name: 'p.jpg' }, caption }),
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const follow = (who: TestUser, whom: TestUser) =>
    t.http.post(`/users/${whom.id}/follow`, { token: who.token });

  beforeAll(async () => {
    t = await createTestApp();
    [alice, bob, carol] = [await signUp(t.http), await signUp(t.http), await signUp(t.http)];
  });
  afterAll(() => t.close());

  describe('follows', () => {
    it('follow is idempotent, counted on both profiles, and shown both ways', async () => {
      expect((await follow(alice, bob)).status).toBe(204);
      expect((await follow(alice, bob)).status).toBe(204);
      const bobSeenByAlice = await t.http.get(`/users/${bob.id}`, { token: alice.token });
      expect(bobSeenByAlice.body).toMatchObject({
        follower_count: 1,
        following_count: 0,
        is_following: true,
        follows_you: false,
      });
      const aliceSeenByBob = await t.http.get(`/users/${alice.id}`, { token: bob.token });
      expect(aliceSeenByBob.body).toMatchObject({ is_following: false, follows_you: true });
      const me = await t.http.get('/users/me', { token: alice.token });
      expect(me.body).toMatchObject({ follower_count: 0, following_count: 1 });
      expect(me.body).not.toHaveProperty('is_following');
    });

    it('lists followers and following as pages of public users', async () => {
      await follow(carol, bob);
      const followers = await t.http.get(`/users/${bob.id}/followers?limit=1`, {
        token: alice.token,
      });
      expect(followers.status).toBe(200);
      // Most recent first: carol, then alice on the next page.
      expect(followers.body.items).toEqual([
        { id: carol.id, username: carol.username, bio: null, avatar_url: null },
      ]);
      const next = await t.http.get(
        `/users/${bob.id}/followers?limit=1&cursor=${followers.body.next_cursor}`,
        { token: alice.token },
      );
      expect(next.body.items.map((u: { id: string }) => u.id)).toEqual([alice.id]);
      expect(next.body.next_cursor).toBeNull();
      expect(JSON.stringify(followers.body)).not.toContain('@');
      const following = await t.http.get(`/users/${alice.id}/following`, { token: bob.token });
      expect(following.body.items.map((u: { id: string }) => u.id)).toEqual([bob.id]);
    });

    it('unfollow is idempotent', async () => {
      await follow(carol, alice);
      expect(
        (await t.http.delete(`/users/${alice.id}/follow`, { token: carol.token })).status,
      ).toBe(204);
      expect(
        (await t.http.delete(`/users/${alice.id}/follow`, { token: carol.token })).status,
      ).toBe(204);
      const profile = await t.http.get(`/users/${alice.id}`, { token: carol.token });
      expect(profile.body).toMatchObject({ follower_count: 0, is_following: false });
    });

    it('refuses following yourself, a missing or banned user, and bad ids', async () => {
      const self = await follow(alice, alice);
      expect([self.status, self.body.code]).toEqual([400, 'CANNOT_FOLLOW_SELF']);
      const ghost = await t.http.post('/users/00000000-0000-4000-8000-000000000000/follow', {
        token: alice.token,
      });
      expect([ghost.status, ghost.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      const bad = await t.http.post('/users/not-a-uuid/follow', { token: alice.token });
      expect(bad.status).toBe(400);
      expect((await t.http.post(`/users/${bob.id}/follow`)).status).toBe(401);
      const missing = await t.http.get('/users/00000000-0000-4000-8000-000000000000/followers', {
        token: alice.token,
      });
      expect([missing.status, missing.body.code]).toEqual([404, 'USER_NOT_FOUND']);

      // A banned user cannot be followed and drops out of lists and counts.
      const dave = await signUp(t.http);
      await follow(dave, bob);
      await t.app
        .get(DataSource)
        .query('UPDATE users SET is_active = false WHERE id = $1', [dave.id]);
      const banned = await follow(alice, dave);
      expect([banned.status, banned.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      const followers = await t.http.get(`/users/${bob.id}/followers`, { token: alice.token });
      expect(followers.body.items.map((u: { id: string }) => u.id)).not.toContain(dave.id);
      const profile = await t.http.get(`/users/${bob.id}`, { token: alice.token });
      expect(profile.body.follower_count).toBe(2);
    });
  });

  describe('the following feed', () => {
    it('shows the posts of the people I follow and mine, newest first, across pages while posts arrive', async () => {
      const erin = await signUp(t.http);
      const frank = await signUp(t.http);
      const gina = await signUp(t.http);
      await follow(erin, frank);
      const expected: string[] = [];
      for (let i = 0; i < 6; i++) {
        expected.push(await post(i % 2 ? erin : frank, `f${i}`));
        await post(gina, `g${i}`); // not followed: never in erin's feed
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let arrived = 0;
      do {
        const res: HttpResponse = await t.http.get(
          `/feed?scope=following&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token: erin.token },
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.next_cursor;
        // New posts while paging: they are newer than the cursor, so the walk neither
        // repeats nor skips what it has not reached.
        if (arrived++ < 2) await post(frank, 'late');
      } while (cursor);
      expect(seen).toEqual([...expected].reverse());
      expect(new Set(seen).size).toBe(seen.length);

      const all = await t.http.get('/feed?scope=all&limit=100', { token: erin.token });
      expect(all.body.items.some((p: { caption: string }) => p.caption.startsWith('g'))).toBe(true);
      const bad = await t.http.get('/feed?scope=friends', { token: erin.token });
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_ERROR']);
    });
  });

  describe('likes', () => {
    let postId: string;
    beforeAll(async () => {
      postId = await post(bob, 'likeable');
    });

    it('like is idempotent; every post object carries like_count and liked_by_me', async () => {
      expect((await t.http.post(`/posts/${postId}/like`, { token: alice.token })).status).toBe(204);
      expect((await t.http.post(`/posts/${postId}/like`, { token: alice.token })).status).toBe(204);
      const byAlice = await t.http.get(`/posts/${postId}`, { token: alice.token });
      expect(byAlice.body).toMatchObject({ like_count: 1, liked_by_me: true });
      const byCarol = await t.http.get(`/posts/${postId}`, { token: carol.token });
      expect(byCarol.body).toMatchObject({ like_count: 1, liked_by_me: false });
      const feed = await t.http.get('/feed?limit=100', { token: alice.token });
      const inFeed = feed.body.items.find((p: { id: string }) => p.id === postId);
      expect(inFeed).toMatchObject({ like_count: 1, liked_by_me: true });
      const likes = await t.http.get(`/posts/${postId}/likes`, { token: carol.token });
      expect(likes.body.items.map((u: { id: string }) => u.id)).toEqual([alice.id]);
      expect((await t.http.delete(`/posts/${postId}/like`, { token: alice.token })).status).toBe(
        204,
      );
      expect((await t.http.delete(`/posts/${postId}/like`, { token: alice.token })).status).toBe(
        204,
      );
      const after = await t.http.get(`/posts/${postId}`, { token: alice.token });
      expect(after.body).toMatchObject({ like_count: 0, liked_by_me: false });
    });

    it('a missing post is 404 POST_NOT_FOUND', async () => {
      const ghost = '00000000-0000-4000-8000-000000000000';
      const like = await t.http.post(`/posts/${ghost}/like`, { token: alice.token });
      expect([like.status, like.body.code]).toEqual([404, 'POST_NOT_FOUND']);
      const likes = await t.http.get(`/posts/${ghost}/likes`, { token: alice.token });
      expect([likes.status, likes.body.code]).toEqual([404, 'POST_NOT_FOUND']);
      // Undoing a like is idempotent: nothing to undo is done already (README, OpenAPI).
      expect((await t.http.delete(`/posts/${ghost}/like`, { token: alice.token })).status).toBe(
        204,
      );
    });

    it('the count stays exact under 100 parallel like/unlike pairs', async () => {
      const target = await post(bob, 'contested');
      const users = await Promise.all(Array.from({ length: 20 }, () => signUp(t.http)));
      // Every user likes, unlikes and likes again, all at once: 20 likes remain.
      const rounds = users.flatMap((u) => [
        t.http.post(`/posts/${target}/like`, { token: u.token }),
        t.http.delete(`/posts/${target}/like`, { token: u.token }),
        t.http.post(`/posts/${target}/like`, { token: u.token }),
        t.http.delete(`/posts/${target}/like`, { token: u.token }),
        t.http.post(`/posts/${target}/like`, { token: u.token }),
      ]);
      const answers = await Promise.all(rounds);
      expect(answers.every((r) => r.status === 204)).toBe(true);
      // The requests of one user raced each other: whatever order they ran in, the count
      // must equal the rows.
      const [row] = await t.app
        .get(DataSource)
        .query(
          'SELECT p.like_count, (SELECT count(*)::int FROM post_likes l WHERE l.post_id = p.id) AS n FROM posts p WHERE p.id = $1',
          [target],
        );
      expect(row.like_count).toBe(row.n);
      // Now settle it: everyone likes once more (idempotent), then half take it back.
      await Promise.all(users.map((u) => t.http.post(`/posts/${target}/like`, { token: u.token })));
      await Promise.all(
        users.slice(0, 10).map((u) => t.http.delete(`/posts/${target}/like`, { token: u.token })),
      );
      const res = await t.http.get(`/posts/${target}`, { token: bob.token });
      expect(res.body.like_count).toBe(10);
    });

    it('deleting a post or a user takes their likes along', async () => {
      const target = await post(carol, 'short-lived');
      await t.http.post(`/posts/${target}/like`, { token: alice.token });
      expect((await t.http.delete(`/posts/${target}`, { token: carol.token })).status).toBe(204);
      const rows = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM post_likes WHERE post_id = $1', [target]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('comments', () => {
    let postId: string;
    beforeAll(async () => {
      postId = await post(bob, 'discuss');
    });
    const comment = (user: TestUser, content: string, parent_id?: string, on = postId) =>
      t.http.post(`/posts/${on}/comments`, {
        token: user.token,
        json: { content, ...(parent_id ? { parent_id } : {}) },
      });

    it('creates comments and one level of replies; counts follow', async () => {
      const first = await comment(alice, 'First!');
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        post_id: postId,
        parent_id: null,
        author: { id: alice.id, username: alice.username, avatar_url: null },
        content: 'First!',
        reply_count: 0,
        hidden: false,
        created_at: expect.any(String),
        edited_at: null,
        is_owner: true,
      });
      const reply = await comment(carol, 'Agreed', first.body.id);
      expect(reply.body.parent_id).toBe(first.body.id);
      // A reply to a reply attaches to the top-level comment.
      const nested = await comment(bob, 'Thanks both', reply.body.id);
      expect(nested.body.parent_id).toBe(first.body.id);
      await comment(carol, 'Second');

      const top = await t.http.get(`/posts/${postId}/comments`, { token: bob.token });
      expect(top.body.items.map((c: { content: string }) => c.content)).toEqual([
        'First!',
        'Second',
      ]);
      expect(top.body.items[0]).toMatchObject({ reply_count: 2, is_owner: false });
      const replies = await t.http.get(`/comments/${first.body.id}/replies?limit=1`, {
        token: bob.token,
      });
      expect(replies.body.items.map((c: { content: string }) => c.content)).toEqual(['Agreed']);
      const more = await t.http.get(
        `/comments/${first.body.id}/replies?limit=1&cursor=${replies.body.next_cursor}`,
        { token: bob.token },
      );
      expect(more.body.items.map((c: { content: string }) => c.content)).toEqual(['Thanks both']);
      expect(more.body.next_cursor).toBeNull();
      const counted = await t.http.get(`/posts/${postId}`, { token: alice.token });
      expect(counted.body.comment_count).toBe(4);
    });

    it('the author edits; the author, the post author or a superuser deletes', async () => {
      const mine = await comment(carol, 'typo');
      const edit = (user: TestUser, content: string) =>
        t.http.patch(`/comments/${mine.body.id}`, { token: user.token, json: { content } });
      const edited = await edit(carol, 'fixed');
      expect(edited.body).toMatchObject({ content: 'fixed', edited_at: expect.any(String) });
      const other = await edit(alice, 'hijack');
      expect([other.status, other.body.code]).toEqual([403, 'NOT_COMMENT_AUTHOR']);
      const byOther = await t.http.delete(`/comments/${mine.body.id}`, { token: alice.token });
      expect([byOther.status, byOther.body.code]).toEqual([403, 'NOT_COMMENT_AUTHOR']);
      // bob wrote the post: he may remove any comment on it, replies included.
      const before = (await t.http.get(`/posts/${postId}`, { token: bob.token })).body
        .comment_count;
      const parent = await comment(alice, 'to remove');
      await comment(carol, 'its reply', parent.body.id);
      expect((await t.http.delete(`/comments/${mine.body.id}`, { token: bob.token })).status).toBe(
        204,
      );
      expect(
        (await t.http.delete(`/comments/${parent.body.id}`, { token: bob.token })).status,
      ).toBe(204);
      const after = (await t.http.get(`/posts/${postId}`, { token: bob.token })).body.comment_count;
      expect(after).toBe(before - 1);
      const gone = await t.http.patch(`/comments/${parent.body.id}`, {
        token: alice.token,
        json: { content: 'x' },
      });
      expect([gone.status, gone.body.code]).toEqual([404, 'COMMENT_NOT_FOUND']);
    });

    it('validates content, parents and posts', async () => {
      const empty = await comment(alice, '');
      expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_ERROR']);
      const long = await comment(alice, 'x'.repeat(2201));
      expect(long.status).toBe(400);
      expect((await comment(alice, 'x'.repeat(2200))).status).toBe(201);
      const ghost = '00000000-0000-4000-8000-000000000000';
      const noPost = await comment(alice, 'hi', undefined, ghost);
      expect([noPost.status, noPost.body.code]).toEqual([404, 'POST_NOT_FOUND']);
      const noParent = await comment(alice, 'hi', ghost);
      expect([noParent.status, noParent.body.code]).toEqual([404, 'COMMENT_NOT_FOUND']);
      // A parent on another post is not a parent here.
      const elsewhere = await post(carol, 'other');
      const foreign = await comment(alice, 'there', undefined, elsewhere);
      const crossed = await comment(alice, 'here', foreign.body.id);
      expect([crossed.status, crossed.body.code]).toEqual([404, 'COMMENT_NOT_FOUND']);
      const list = await t.http.get(`/posts/${ghost}/comments`, { token: alice.token });
      expect([list.status, list.body.code]).toEqual([404, 'POST_NOT_FOUND']);
    });
  });

  describe('blocks', () => {
    // Each hidden surface, checked in both directions: the blocker's and the blocked one's.
    it('hide each from the other everywhere, and refuse every contact', async () => {
      const [hana, ivan, judy] = [await signUp(t.http), await signUp(t.http), await signUp(t.http)];
      await follow(hana, ivan);
      await follow(ivan, hana);
      const hanaPost = await post(hana, 'by hana');
      const ivanPost = await post(ivan, 'by ivan');
      const onJudy = await post(judy, 'by judy');
      const ivanComment = await t.http.post(`/posts/${onJudy}/comments`, {
        token: ivan.token,
        json: { content: 'ivan was here' },
      });
      const hanaComment = await t.http.post(`/posts/${onJudy}/comments`, {
        token: hana.token,
        json: { content: 'hana was here' },
      });

      expect((await t.http.post(`/users/${ivan.id}/block`, { token: hana.token })).status).toBe(
        204,
      );
      expect((await t.http.post(`/users/${ivan.id}/block`, { token: hana.token })).status).toBe(
        204,
      );
      const self = await t.http.post(`/users/${hana.id}/block`, { token: hana.token });
      expect([self.status, self.body.code]).toEqual([400, 'CANNOT_BLOCK_SELF']);
      const list = await t.http.get('/users/me/blocks', { token: hana.token });
      expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([ivan.id]);

      for (const [me, other, theirPost, theirComment] of [
        [hana, ivan, ivanPost, ivanComment.body.id],
        [ivan, hana, hanaPost, hanaComment.body.id],
      ] as Array<[TestUser, TestUser, string, string]>) {
        const ids = (res: { body: { items: Array<{ id: string }> } }) =>
          res.body.items.map((i) => i.id);
        // Follows are gone both ways, and cannot come back.
        expect(
          ids(await t.http.get(`/users/${me.id}/following`, { token: me.token })),
        ).not.toContain(other.id);
        const refollow = await follow(me, other);
        expect([refollow.status, refollow.body.code]).toEqual([404, 'USER_NOT_FOUND']);
        // Profiles and lists answer as for nobody.
        expect((await t.http.get(`/users/${other.id}`, { token: me.token })).status).toBe(404);
        expect((await t.http.get(`/users/${other.id}/followers`, { token: me.token })).status).toBe(
          404,
        );
        // Posts: feeds, the author's list, the post itself, its likes and comments.
        for (const scope of ['all', 'following']) {
          const feed = await t.http.get(`/feed?scope=${scope}&limit=100`, { token: me.token });
          expect(ids(feed)).not.toContain(theirPost);
        }
        expect(ids(await t.http.get(`/users/${other.id}/posts`, { token: me.token }))).toEqual([]);
        expect((await t.http.get(`/posts/${theirPost}`, { token: me.token })).status).toBe(404);
        // A third person's comment on their post: its replies are hidden as the post is.
        const onTheirs = await t.http.post(`/posts/${theirPost}/comments`, {
          token: judy.token,
          json: { content: 'on their post' },
        });
        expect(
          (await t.http.get(`/comments/${onTheirs.body.id}/replies`, { token: me.token })).status,
        ).toBe(404);
        const like = await t.http.post(`/posts/${theirPost}/like`, { token: me.token });
        expect([like.status, like.body.code]).toEqual([404, 'POST_NOT_FOUND']);
        expect((await t.http.get(`/posts/${theirPost}/likes`, { token: me.token })).status).toBe(
          404,
        );
        const comment = await t.http.post(`/posts/${theirPost}/comments`, {
          token: me.token,
          json: { content: 'hi' },
        });
        expect([comment.status, comment.body.code]).toEqual([404, 'POST_NOT_FOUND']);
        // Comments on a third person's post: theirs are hidden, and cannot be replied to.
        const onThird = await t.http.get(`/posts/${onJudy}/comments`, { token: me.token });
        expect(ids(onThird)).not.toContain(theirComment);
        const reply = await t.http.post(`/posts/${onJudy}/comments`, {
          token: me.token,
          json: { content: 'psst', parent_id: theirComment },
        });
        expect([reply.status, reply.body.code]).toEqual([404, 'COMMENT_NOT_FOUND']);
        expect(
          (await t.http.get(`/comments/${theirComment}/replies`, { token: me.token })).status,
        ).toBe(404);
        // Nor into a room.
        const room = await t.http.post('/api/rooms', { token: me.token, json: { name: 'x' } });
        const add = await t.http.post(`/api/rooms/${room.body.id}/members`, {
          token: me.token,
          json: { user_id: other.id },
        });
        expect([add.status, add.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      }
      // Everyone else still sees both.
      const judyFeed = await t.http.get('/feed?limit=100', { token: judy.token });
      expect(judyFeed.body.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([hanaPost, ivanPost]),
      );

      expect((await t.http.delete(`/users/${ivan.id}/block`, { token: hana.token })).status).toBe(
        204,
      );
      expect((await t.http.get(`/posts/${ivanPost}`, { token: hana.token })).status).toBe(200);
      expect((await follow(hana, ivan)).status).toBe(204);
    });
  });
});

describe('Search and hashtags (e2e)', () => {
  let t: TestApp;
  const names = Date.now().toString(36).slice(-5);
  const make = async (username: string, bio?: string) => {
    const user = await signUp(t.http, { username });
    if (bio) await t.http.patch('/users/me', { token: user.token, json: { bio } });
    return user;
  };
  const post = async (user: TestUser, caption: string): Promise<string> => {
    const res = await t.http.post('/upload', {
      token: user.token,
      multipart: form({ file: { bytes: await jpeg(8, 8), name: 'p.jpg' }, caption }),
    });
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('ranks users: exact username, then prefix, then the rest; bios count too', async () => {
    const viewer = await signUp(t.http);
    const exact = await make(`zed${names}`);
    const prefix = await make(`zed${names}_photos`);
    const inside = await make(`the_zed${names}`);
    const byBio = await make(`someone${names}`, `friend of zed${names}`);
    const res = await t.http.get(`/search/users?q=ZED${names}`, { token: viewer.token });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((u: { id: string }) => u.id);
    expect(ids.slice(0, 2)).toEqual([exact.id, prefix.id]);
    expect(ids).toEqual(expect.arrayContaining([inside.id, byBio.id]));
    expect(JSON.stringify(res.body)).not.toContain('@example');
    // Paged by position.
    const first = await t.http.get(`/search/users?q=zed${names}&limit=2`, { token: viewer.token });
    const second = await t.http.get(
      `/search/users?q=zed${names}&limit=2&cursor=${first.body.next_cursor}`,
      { token: viewer.token },
    );
    expect([...first.body.items, ...second.body.items].map((u: { id: string }) => u.id)).toEqual(
      ids.slice(0, 4),
    );
    // A blocked user is not found by the one who blocked, nor the other way.
    await t.http.post(`/users/${exact.id}/block`, { token: viewer.token });
    const after = await t.http.get(`/search/users?q=zed${names}`, { token: viewer.token });
    expect(after.body.items.map((u: { id: string }) => u.id)).not.toContain(exact.id);
  });

  it('finds posts by caption words and hashtags; tags list posts case-insensitively', async () => {
    const [a, b] = [await signUp(t.http), await signUp(t.http)];
    const sunset = await post(a, `Golden sunset over the river #Travel${names} #sky`);
    const city = await post(b, `City lights #travel${names}`);
    await post(b, 'Nothing to see');
    const words = await t.http.get('/search/posts?q=sunset river', { token: b.token });
    expect(words.body.items.map((p: { id: string }) => p.id)).toEqual([sunset]);
    const byTag = await t.http.get(`/search/posts?q=travel${names}`, { token: b.token });
    expect(new Set(byTag.body.items.map((p: { id: string }) => p.id))).toEqual(
      new Set([sunset, city]),
    );
    const tag = await t.http.get(`/tags/TRAVEL${names}/posts`, { token: b.token });
    expect(tag.body.items.map((p: { id: string }) => p.id)).toEqual([city, sunset]);
    const paged = await t.http.get(`/tags/travel${names}/posts?limit=1`, { token: b.token });
    const rest = await t.http.get(
      `/tags/travel${names}/posts?limit=1&cursor=${paged.body.next_cursor}`,
      { token: b.token },
    );
    expect(rest.body.items.map((p: { id: string }) => p.id)).toEqual([sunset]);
    // A caption edit retags.
    await t.http.patch(`/posts/${city}`, { token: b.token, json: { caption: 'City #night' } });
    const retagged = await t.http.get(`/tags/travel${names}/posts`, { token: b.token });
    expect(retagged.body.items.map((p: { id: string }) => p.id)).toEqual([sunset]);
    // Blocks hide in search and tags too.
    await t.http.post(`/users/${a.id}/block`, { token: b.token });
    expect((await t.http.get(`/tags/travel${names}/posts`, { token: b.token })).body.items).toEqual(
      [],
    );
    expect((await t.http.get('/search/posts?q=sunset', { token: b.token })).body.items).toEqual([]);
  });

  it('refuses empty and one-character queries, and bad tags', async () => {
    const u = await signUp(t.http);
    for (const q of ['', 'a', ' ']) {
      const res = await t.http.get(`/search/users?q=${encodeURIComponent(q)}`, { token: u.token });
      expect(res.status).toBe(400);
    }
    expect((await t.http.get('/search/posts', { token: u.token })).status).toBe(400);
    const tag = await t.http.get('/tags/not%20a%20tag/posts', { token: u.token });
    expect([tag.status, tag.body.code]).toEqual([400, 'INVALID_TAG']);
    const cursor = await t.http.get('/search/users?q=ab&cursor=zzz', { token: u.token });
    expect([cursor.status, cursor.body.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});
