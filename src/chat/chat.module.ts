import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { BlocksModule } from '../blocks/blocks.module';
import { UsersModule } from '../users/users.module';
import { ChatGateway } from './chat.gateway';
import { ChatUpload } from './entities/chat-upload.entity';
import { Message } from './entities/message.entity';
import { RoomMember } from './entities/room-member.entity';
import { Room } from './entities/room.entity';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { RoomDeliveryService } from './delivery/room-delivery.service';
import { ChatFrames } from './ws/chat-frames';
import { ChatHandshake } from './ws/chat-handshake';
import { ChatSessions } from './ws/chat-sessions';
import { TypingService } from './ws/typing.service';
import { PresenceService } from './presence.service';
import { RoomsController } from './rooms.controller';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';
import { UploadsController } from './uploads.controller';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Room, RoomMember, Message, ChatUpload]),
    AuthModule,
    UsersModule,
    BlocksModule,
  ],
  controllers: [RoomsController, MessagesController, UploadsController],
  providers: [
    PresenceService,
    RoomsService,
    RoomsRepository,
    MessagesRepository,
    MessagesService,
    UploadsService,
    UploadsRepository,
    RoomDeliveryService,
    ChatHandshake,
    TypingService,
    ChatSessions,
    ChatFrames,
    ChatGateway,
  ],
  exports: [MessagesService],
})
export class ChatModule {}
