import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A minimal ZIP (stored entries), enough for format detection. */
export function zip(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const pad = (b: Buffer, n = 600) => Buffer.concat([b, Buffer.alloc(n, 0)]);
const ooxml = (kind: string) =>
  zip([
    [
      '[Content_Types].xml',
      Buffer.from(
        `<Types><Override ContentType="application/vnd.openxmlformats-officedocument.${kind}.main+xml"/></Types>`,
      ),
    ],
  ]);

/** One valid sample per accepted extension (the bytes carry the format's signature). */
export async function samples(): Promise<Record<string, Buffer>> {
  const cfb = pad(Buffer.from('d0cf11e0a1b11ae1', 'hex'), 2048);
  return {
    pdf: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    doc: cfb,
    xls: cfb,
    ppt: cfb,
    docx: ooxml('wordprocessingml.document'),
    xlsx: ooxml('spreadsheetml.sheet'),
    pptx: ooxml('presentationml.presentation'),
    txt: Buffer.from('plain text, ünïcödé ✓\n'),
    csv: Buffer.from('a,b\n1,2\n'),
    jpg: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
      .jpeg()
      .toBuffer(),
    png: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } })
      .png()
      .toBuffer(),
    gif: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00f' } })
      .gif()
      .toBuffer(),
    webp: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0' } })
      .webp()
      .toBuffer(),
    svg: Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(document.cookie)</script></svg>',
    ),
    mp3: pad(
      Buffer.concat([
        Buffer.from('ID3'),
        Buffer.from([3, 0, 0, 0, 0, 0, 0]),
        Buffer.from('fffb9000', 'hex'),
      ]),
    ),
    wav: pad(
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt ')]),
    ),
    ogg: pad(
      Buffer.concat([
        Buffer.from('OggS'),
        Buffer.alloc(24, 0),
        Buffer.from('\x01vorbis', 'latin1'),
      ]),
    ),
    mp4: pad(
      Buffer.from('000000206674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex'),
    ),
    avi: pad(
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('AVI LIST')]),
    ),
    mov: pad(Buffer.from('0000001466747970717420200000000071742020', 'hex')),
    zip: zip([['hello.txt', Buffer.from('hi')]]),
    rar: pad(Buffer.from('526172211a0700', 'hex')),
    '7z': pad(Buffer.from('377abcaf271c0004', 'hex')),
  };
}
