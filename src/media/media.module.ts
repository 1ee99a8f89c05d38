import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { imagekitConfig, mediaConfig, type ConfigType } from '../config/configuration';
import { MediaDeletion } from './entities/media-deletion.entity';
import { MediaController } from './media.controller';
import { MediaLinks } from './media-links';
import { MediaService } from './media.service';
import { UploadIntake } from './upload-intake';
import { ImageKitMediaStorage } from './storage/imagekit-media.storage';
import { LocalMediaStorage } from './storage/local-media.storage';
import { MediaStorage } from './storage/media-storage';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MediaDeletion])],
  controllers: [MediaController],
  providers: [
    {
      // The app serves what the local driver stored even once ImageKit takes over.
      provide: LocalMediaStorage,
      inject: [mediaConfig.KEY],
      useFactory: (media: ConfigType<typeof mediaConfig>) => new LocalMediaStorage(media.dir),
    },
    {
      // ImageKit when IMAGEKIT_PRIVATE_KEY is set, local disk otherwise.
      provide: MediaStorage,
      inject: [imagekitConfig.KEY, LocalMediaStorage],
      useFactory: (
        imagekit: ConfigType<typeof imagekitConfig>,
        local: LocalMediaStorage,
      ): MediaStorage =>
        imagekit.enabled && imagekit.privateKey && imagekit.urlEndpoint
          ? new ImageKitMediaStorage({
              privateKey: imagekit.privateKey,
              urlEndpoint: imagekit.urlEndpoint,
              baseUrl: imagekit.baseUrl,
              timeoutMs: imagekit.timeoutMs,
              folder: imagekit.folder,
            })
          : local,
    },
    MediaService,
    MediaLinks,
    UploadIntake,
  ],
  exports: [MediaService, MediaStorage, MediaLinks, UploadIntake],
})
export class MediaModule {}
