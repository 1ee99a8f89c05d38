import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, imagekitConfig, mediaConfig, type ConfigType } from '../config/configuration';
import { MediaDeletion } from './entities/media-deletion.entity';
import { MediaController } from './media.controller';
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
      // ImageKit when IMAGEKIT_PRIVATE_KEY is set, local disk otherwise.
      provide: MediaStorage,
      inject: [imagekitConfig.KEY, mediaConfig.KEY, appConfig.KEY],
      useFactory: (
        imagekit: ConfigType<typeof imagekitConfig>,
        media: ConfigType<typeof mediaConfig>,
        app: ConfigType<typeof appConfig>,
      ): MediaStorage =>
        imagekit.enabled && imagekit.privateKey && imagekit.urlEndpoint
          ? new ImageKitMediaStorage({
              privateKey: imagekit.privateKey,
              urlEndpoint: imagekit.urlEndpoint,
              baseUrl: imagekit.baseUrl,
              timeoutMs: imagekit.timeoutMs,
              folder: imagekit.folder,
            })
          : new LocalMediaStorage(media.dir, app.publicUrl),
    },
    MediaService,
    UploadIntake,
  ],
  exports: [MediaService, MediaStorage, UploadIntake],
})
export class MediaModule {}
