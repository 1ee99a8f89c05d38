import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UploadsService } from '../../src/chat/uploads.service';
import { LocalMediaStorage } from '../../src/media/storage/local-media.storage';
import { html, png } from '../support/media-fixtures';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// Chat attachments on the local driver; who may read them is in access.medium-spec.ts.
describe('Chat uploads (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let uploads: UploadsService;
  let root: string;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    uploads = ctx.get(UploadsService);
    root = ctx.get(LocalMediaStorage).root;
  });
  afterAll(() => ctx.close());

  it('lists the accepted types by category, with the limits', () => {
    const allowed = uploads.allowedTypes();
    expect(allowed.categories.document.extensions).toEqual(expect.arrayContaining(['pdf', 'txt']));
    expect(allowed.categories.image.mime_types).toContain('image/png');
    expect(allowed.max_files).toBeGreaterThan(1);
    expect(allowed.max_file_size).toBeGreaterThan(0);
  });

  it('stores several files at once as private files of their owner', async () => {
    const owner = await make.user();
    const saved = await uploads.create(owner, [
      await make.file(await png(10, 10), 'dot.png'),
      await make.file(Buffer.from('plain words, é and all\n'), 'notes.txt'),
    ]);
    expect(saved.map((u) => [u.fileName, u.mimeType, u.category, u.ownerId])).toEqual([
      ['dot.png', 'image/png', 'image', owner.id],
      ['notes.txt', 'text/plain', 'document', owner.id],
    ]);
    for (const u of saved) {
      expect(u.path.startsWith('private/uploads/')).toBe(true);
      expect(existsSync(join(root, u.path))).toBe(true);
    }
    expect((await uploads.getVisible(saved[0].id, owner)).id).toBe(saved[0].id);
  });

  it('refuses a batch with one bad file, storing none of it', async () => {
    const owner = await make.user();
    const good = await make.file(await png(10, 10), 'good.png');
    const cases: Array<[string, Buffer, string]> = [
      ['page.html', html, '415 UNSUPPORTED_MEDIA_TYPE'],
      ['fake.pdf', Buffer.from('not a pdf'), '415 UNSUPPORTED_MEDIA_TYPE'],
      ['binary.txt', Buffer.from([0x61, 0x00, 0x62]), '415 UNSUPPORTED_MEDIA_TYPE'],
      ['bad.txt', Buffer.from([0xff, 0xfe, 0x41]), '415 UNSUPPORTED_MEDIA_TYPE'],
      ['empty.txt', Buffer.alloc(0), '400 EMPTY_FILE'],
    ];
    for (const [name, bytes, expected] of cases) {
      const bad = await make.file(bytes, name);
      expect(await outcome(() => uploads.create(owner, [good, bad]))).toBe(expected);
      // The good file was checked but not moved into storage.
      expect(existsSync(good.tempPath)).toBe(true);
    }
    expect(await outcome(() => uploads.create(owner, []))).toBe('400 FILE_REQUIRED');
  });

  it('deletes one’s own upload and its file; others cannot', async () => {
    const [owner, other] = [await make.user(), await make.user()];
    const [upload] = await uploads.create(owner, [
      await make.file(Buffer.from('%PDF-1.4\n%%EOF\n'), 'doc.pdf'),
    ]);
    expect(await outcome(() => uploads.delete(upload.id, other))).toBe('404 FILE_NOT_FOUND');
    await uploads.delete(upload.id, owner);
    expect(existsSync(join(root, upload.path))).toBe(false);
    expect(await outcome(() => uploads.getOwn(upload.id, owner))).toBe('404 FILE_NOT_FOUND');
    expect(await outcome(() => uploads.getVisible('not-a-uuid', owner))).toBe('404 FILE_NOT_FOUND');
  });
});
