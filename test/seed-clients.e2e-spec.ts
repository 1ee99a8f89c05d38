import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { png } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

// The chat seed's client snippets, in the style its README gives them: trailing slashes,
// one `file` answered by one object, the room repeated in the message body, `file_id: null`
// for "no file". Only the host, the token and the room id are filled in.

/** What a JavaScript client reads from a JSON answer. */
type Json = Record<string, any>;

/** The JavaScript snippet: upload a file, post it in a room, read the history. */
function javascriptClient(API: string, token: string) {
  async function uploadFile(file: Blob, name: string) {
    const formData = new FormData();
    formData.append('file', file, name);
    const response = await fetch(`${API}/api/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: formData,
    });
    return response.json() as Promise<Json>;
  }

  async function sendMessage(roomId: string, content: string, fileId: string | null = null) {
    const response = await fetch(`${API}/api/rooms/${roomId}/messages/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ content, room_id: roomId, file_id: fileId }),
    });
    return response.json() as Promise<Json>;
  }

  async function getMessages(roomId: string) {
    const response = await fetch(`${API}/api/rooms/${roomId}/messages/`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return response.json() as Promise<Json>;
  }

  return { uploadFile, sendMessage, getMessages };
}

const PYTHON_CLIENT = `
import json, sys
import requests

API = sys.argv[1]
token = sys.argv[2]
room_id = sys.argv[3]
photo = sys.argv[4]
headers = {"Authorization": f"Bearer {token}"}

me = requests.get(f"{API}/api/users/me/", headers=headers).json()
allowed = requests.get(f"{API}/api/uploads/types/allowed/").json()
rooms = requests.get(f"{API}/api/rooms/", headers=headers)

with open(photo, "rb") as f:
    response = requests.post(f"{API}/api/uploads/", headers=headers, files={"file": f})
file_info = response.json()
print("Uploaded:", file_info['public_url'], file_info['id'], file=sys.stderr)

message = requests.post(
    f"{API}/api/rooms/{room_id}/messages/",
    headers=headers,
    json={"content": "Check out this photo!", "room_id": room_id, "file_id": file_info['id']},
)
plain = requests.post(
    f"{API}/api/rooms/{room_id}/messages/",
    headers=headers,
    json={"content": "No file this time", "room_id": room_id, "file_id": None},
)
history = requests.get(f"{API}/api/rooms/{room_id}/messages/", headers=headers)

print(json.dumps({
    "me": me,
    "allowed_max_size": allowed["max_file_size"],
    "rooms_status": rooms.status_code,
    "upload_status": response.status_code,
    "file_info": file_info,
    "message_status": message.status_code,
    "message": message.json(),
    "plain_status": plain.status_code,
    "history_status": history.status_code,
    "history": history.json(),
}))
`;

function pythonWithRequests(): boolean {
  return spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
}

describe("The chat seed's clients, as written (e2e)", () => {
  let t: TestApp;
  let alice: TestUser;
  let roomId: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t.http);
    const room = await t.http.post('/api/rooms/', {
      token: alice.token,
      json: { name: 'seed room', is_private: false },
    });
    expect(room.status).toBe(201);
    roomId = room.body.id;
  });
  afterAll(() => t.close());

  it('runs the JavaScript snippet: one file, one object; room_id and file_id in the body', async () => {
    const client = javascriptClient(t.http.baseUrl, alice.token);
    const fileInfo = await client.uploadFile(new Blob([await png(32, 32)]), 'photo.png');
    expect(fileInfo.public_url).toEqual(expect.any(String));
    expect(fileInfo.id).toEqual(expect.any(String));

    const withFile = await client.sendMessage(roomId, 'Look at this', fileInfo.id);
    expect(withFile).toMatchObject({ content: 'Look at this', file: { id: fileInfo.id } });
    const plain = await client.sendMessage(roomId, 'Just text', null);
    expect(plain).toMatchObject({ content: 'Just text', file: null });

    const history = await client.getMessages(roomId);
    const contents = (history.items as Array<{ content: string }>).map((m) => m.content);
    expect(contents).toEqual(expect.arrayContaining(['Look at this', 'Just text']));
  });

  it('refuses a body whose room_id is another room', async () => {
    const res = await t.http.post(`/api/rooms/${roomId}/messages/`, {
      token: alice.token,
      json: { content: 'lost', room_id: '00000000-0000-4000-8000-000000000000', file_id: null },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ROOM_ID_MISMATCH');
  });

  it('runs the WebSocket snippet: join, send with file_id null, receive', async () => {
    const socket = new WebSocket(`${t.wsUrl}/api/ws/${roomId}?token=${alice.token}`);
    const frames: Array<{ type: string; [key: string]: unknown }> = [];
    const received = new Promise<void>((resolve, reject) => {
      socket.on('message', (data: WebSocket.RawData) => {
        const frame = JSON.parse((data as Buffer).toString()) as {
          type: string;
          message?: { content: string; file: unknown };
        };
        frames.push(frame);
        if (frame.type === 'welcome') {
          socket.send(JSON.stringify({ type: 'message', content: 'Hello, room!', file_id: null }));
        }
        if (frame.type === 'message' && frame.message?.content === 'Hello, room!') {
          expect(frame.message.file).toBeNull();
          resolve();
        }
      });
      socket.on('error', reject);
    });
    await received;
    socket.close();
    expect(frames.some((f) => f.type === 'error')).toBe(false);
  });

  (pythonWithRequests() ? it : it.skip)('runs the Python snippet (requests)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-python-'));
    try {
      const script = join(dir, 'client.py');
      const photo = join(dir, 'photo.png');
      writeFileSync(script, PYTHON_CLIENT);
      writeFileSync(photo, await png(32, 32));
      // Asynchronously: the app answering the script runs in this process.
      const { stdout } = await promisify(execFile)(
        'python3',
        [script, t.http.baseUrl, alice.token, roomId, photo],
        { encoding: 'utf8', timeout: 30_000 },
      );
      const result = JSON.parse(stdout);
      expect(result.me).toMatchObject({ id: alice.id, email: alice.email });
      expect(result.allowed_max_size).toBeGreaterThan(0);
      expect(result.rooms_status).toBe(200);
      expect(result.upload_status).toBe(201);
      expect(result.file_info).toMatchObject({ file_name: 'photo.png', category: 'image' });
      expect(result.message_status).toBe(201);
      expect(result.message).toMatchObject({ file: { id: result.file_info.id } });
      expect(result.plain_status).toBe(201);
      expect(result.history_status).toBe(200);
      expect(result.history.items.length).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
