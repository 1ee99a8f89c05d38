import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { imagekitConfig, jwtConfig, mediaConfig, type ConfigType } from '../config/configuration';
import { DirectUploadClaim } from './entities/direct-upload-claim.entity';
import { MediaDeletion } from './entities/media-deletion.entity';
import { DirectUploadClaimsRepository } from './direct-upload-claims.repository';
import { DirectUploads } from './direct-uploads';
import { DirectUploadsController } from './direct-uploads.controller';
import { MediaController } from './media.controller';
import { LinkSigner } from './link-signer';
import { MediaLinks } from './media-links';
import { VideoTools } from './video-tools';
import { MediaService } from './media.service';
import { MediaDeletionsRepository } from './media-deletions.repository';
import { UploadIntake } from './upload-intake';
import { ImageKitMediaStorage } from './storage/imagekit-media.storage';
import { LocalMediaStorage } from './storage/local-media.storage';
import { MediaStorage } from './storage/media-storage';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MediaDeletion, DirectUploadClaim])],
  controllers: [MediaController, DirectUploadsController],
  providers: [
    {
      // The app serves what the local driver stored even once ImageKit takes over.
      provide: LocalMediaStorage,
      inject: [mediaConfig.KEY, jwtConfig.KEY],
      useFactory: (media: ConfigType<typeof mediaConfig>, jwt: ConfigType<typeof jwtConfig>) =>
        new LocalMediaStorage(media.dir, new LinkSigner(jwt.secret)),
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
              publicKey: imagekit.publicKey,
              urlEndpoint: imagekit.urlEndpoint,
              baseUrl: imagekit.baseUrl,
              timeoutMs: imagekit.timeoutMs,
              folder: imagekit.folder,
            })
          : local,
    },
    MediaService,
    MediaDeletionsRepository,
    MediaLinks,
    VideoTools,
    DirectUploads,
    DirectUploadClaimsRepository,
    UploadIntake,
  ],
  exports: [MediaService, MediaStorage, LocalMediaStorage, MediaLinks, UploadIntake, DirectUploads],
})
export class MediaModule {}
