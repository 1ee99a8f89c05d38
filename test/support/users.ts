import type { HttpClient } from './http';

let counter = 0;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  username: string;
  token: string;
}

/** Registers a new user and logs in. */
export async function signUp(
  http: HttpClient,
  overrides: { email?: string; password?: string; username?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const email = overrides.email ?? `user${counter}.${Date.now()}@example.com`;
  const password = overrides.password ?? 'a good password';
  const reg = await http.post('/auth/register', {
    json: { email, password, ...(overrides.username ? { username: overrides.username } : {}) },
  });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const token = await logIn(http, email, password);
  return { id: reg.body.id, email, password, username: reg.body.username, token };
}

export async function logIn(http: HttpClient, email: string, password: string): Promise<string> {
  const res = await http.post('/auth/jwt/login', { form: { username: email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}
