import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { chatConfig, type ConfigType } from '../config/configuration';
import { UsersModule } from '../users/users.module';
import { ChatBus, LocalChatBus, RedisChatBus } from './chat-bus';
import { ChatGateway } from './chat.gateway';
import { ChatUpload } from './entities/chat-upload.entity';
import { Message } from './entities/message.entity';
import { RoomMember } from './entities/room-member.entity';
import { Room } from './entities/room.entity';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { RoomDeliveryService } from './delivery/room-delivery.service';
import { ChatHandshake } from './ws/chat-handshake';
import { PresenceService } from './presence.service';
import { RoomsController } from './rooms.controller';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Room, RoomMember, Message, ChatUpload]),
    AuthModule,
    UsersModule,
  ],
  controllers: [RoomsController, MessagesController, UploadsController],
  providers: [
    {
      // Redis pub/sub across instances when REDIS_URL is set; in-process otherwise.
      provide: ChatBus,
      inject: [chatConfig.KEY],
      useFactory: async (config: ConfigType<typeof chatConfig>): Promise<ChatBus> => {
        if (!config.redisUrl) return new LocalChatBus();
        const bus = new RedisChatBus(config.redisUrl);
        // Start even when Redis is down: events are then delivered locally until it is back.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([bus.ready(), new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
        return bus;
      },
    },
    PresenceService,
    RoomsService,
    RoomsRepository,
    MessagesRepository,
    MessagesService,
    UploadsService,
    RoomDeliveryService,
    ChatHandshake,
    ChatGateway,
  ],
  exports: [ChatBus, MessagesService],
})
export class ChatModule {}
