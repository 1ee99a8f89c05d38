import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { MediaDeletion } from '../../src/media/entities/media-deletion.entity';
import { IMAGE_TYPES, POST_MEDIA_TYPES } from '../../src/media/media-types';
import { MediaService } from '../../src/media/media.service';
import { LocalMediaStorage } from '../../src/media/storage/local-media.storage';
import { describeImage, html, jpeg, photoWithMetadata, png } from '../support/media-fixtures';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// Storage through the local driver (no ImageKit configured), with real image bytes.
describe('Media storage (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let media: MediaService;
  let root: string;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    media = ctx.get(MediaService);
    root = ctx.get(LocalMediaStorage).root;
  });
  afterAll(() => ctx.close());

  const deletions = () => ctx.get(DataSource).getRepository(MediaDeletion);

  it('uses the local driver when no ImageKit account is configured', () => {
    expect(media.driver).toBe('local');
    expect(media.maxUploadBytes).toBeGreaterThan(0);
  });

  it('identifies a file by its bytes, not its name, and reads an image’s size', async () => {
    const png40 = await make.file(await png(40, 30), 'really.jpg');
    expect(await media.inspect(png40, POST_MEDIA_TYPES)).toMatchObject({
      type: { mime: 'image/png', extension: 'png', kind: 'image' },
      width: 40,
      height: 30,
    });
    // Sideways photos report their upright size.
    const sideways = await make.file(await photoWithMetadata('jpeg'), 'p.jpg');
    expect(await media.inspect(sideways, IMAGE_TYPES)).toMatchObject({ width: 20, height: 40 });
    expect(
      await outcome(async () => media.inspect(await make.file(html, 'a.png'), IMAGE_TYPES)),
    ).toBe('415 UNSUPPORTED_MEDIA_TYPE');
  });

  it('stores under the folder asked, with the detected extension and no metadata', async () => {
    const file = await make.file(await photoWithMetadata('png'), 'x.gif');
    const saved = await media.store(file, { folder: 'posts', allowed: IMAGE_TYPES });
    expect(saved).toMatchObject({ storage: 'local', kind: 'image', mimeType: 'image/png' });
    expect(saved.path).toMatch(/^posts\/[0-9a-f-]{36}\.png$/);
    expect(saved.fileId).toBe(saved.path);
    const bytes = readFileSync(join(root, saved.path));
    expect(saved.size).toBe(bytes.length);
    expect(await describeImage(bytes)).toMatchObject({ exif: false, xmp: false, leaks: [] });

    await media.discard(saved);
    expect(existsSync(join(root, saved.path))).toBe(false);
  });

  it('stores a private file apart from the public ones', async () => {
    const file = await make.file(Buffer.from('%PDF-1.4\n'), 'notes.pdf');
    const saved = await media.storeAs(file, {
      folder: 'uploads',
      mimeType: 'application/pdf',
      extension: 'pdf',
      private: true,
    });
    expect(saved.path).toMatch(/^private\/uploads\/[0-9a-f-]{36}\.pdf$/);
    expect(ctx.get(LocalMediaStorage).isPrivate(saved.path)).toBe(true);
    expect(readFileSync(join(root, saved.path), 'utf8')).toBe('%PDF-1.4\n');
  });

  it('parses transformations, refusing unknown steps and layers of images it does not hold', async () => {
    expect(media.transformation('w-100,h-50')).toEqual(
      expect.arrayContaining([expect.objectContaining({ width: 100, height: 50 })]),
    );
    expect(await outcome(() => media.transformation('nope-1'))).toBe(
      '400 UNSUPPORTED_TRANSFORMATION',
    );
    expect(await outcome(() => media.transformation('l-image,i-posts@@missing.png,l-end'))).toBe(
      '400 LAYER_NOT_FOUND',
    );
    const logo = await media.store(await make.file(await png(20, 20), 'logo.png'), {
      folder: 'posts',
      allowed: IMAGE_TYPES,
    });
    const layer = `l-image,i-${logo.path.replace('/', '@@')},l-end`;
    expect(await outcome(() => media.transformation(layer))).toBe('ok');
  });

  it('records a delete the storage cannot do, retries it later with backoff, and finishes it', async () => {
    // No ImageKit account here: a file recorded there cannot be deleted (yet).
    await media.remove({ storage: 'imagekit', fileId: 'ik-file-1', path: '/x.jpg' });
    const [pending] = await deletions().findBy({ fileId: 'ik-file-1' });
    expect(pending).toMatchObject({ storage: 'imagekit', attempts: 1 });
    expect(pending.lastError).toMatch(/imagekit/);

    // Not due yet: nothing happens.
    expect(await media.retryPendingDeletes(new Date())).toBe(0);
    const later = new Date(pending.nextAttemptAt.getTime() + 1000);
    expect(await media.retryPendingDeletes(later)).toBe(0);
    const [retried] = await deletions().findBy({ fileId: 'ik-file-1' });
    expect(retried.attempts).toBe(2);
    expect(retried.nextAttemptAt.getTime()).toBeGreaterThan(later.getTime());

    // A local delete that is due is done and forgotten.
    const path = 'posts/left-over.jpg';
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), await jpeg(8, 8));
    await deletions().save({
      storage: 'local',
      fileId: path,
      path,
      attempts: 1,
      nextAttemptAt: new Date(Date.now() - 1000),
    });
    expect(await media.retryPendingDeletes(new Date())).toBe(1);
    expect(existsSync(join(root, path))).toBe(false);
    expect(await deletions().findBy({ fileId: path })).toEqual([]);
    await deletions().delete({ fileId: 'ik-file-1' });
  });
});
