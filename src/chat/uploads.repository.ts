import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChatUpload } from './entities/chat-upload.entity';

/** Chat attachments (chat_uploads). */
@Injectable()
export class UploadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get uploads() {
    return this.dataSource.getRepository(ChatUpload);
  }

  /** A batch is stored whole or not at all (one transaction). */
  insertAll(
    values: Array<
      Pick<
        ChatUpload,
        'ownerId' | 'storage' | 'fileId' | 'path' | 'fileName' | 'mimeType' | 'category' | 'size'
      >
    >,
  ): Promise<ChatUpload[]> {
    return this.uploads.save(values.map((v) => this.uploads.create(v)));
  }

  findById(id: string): Promise<ChatUpload | null> {
    return this.uploads.findOneBy({ id });
  }

  async delete(id: string): Promise<void> {
    await this.uploads.delete({ id });
  }
}
