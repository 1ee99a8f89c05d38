import { IsBoolean } from 'class-validator';
import { SendMessageDto } from '../dto/chat.dto';
import type { ClientFrameType } from './frames';

export class TypingFrameDto {
  @IsBoolean()
  typing: boolean;
}

/**
 * The DTO each client frame type is validated against (the body without `type`); null: the
 * frame's other fields are ignored (a ping may carry a client's timestamp).
 */
export const CLIENT_FRAME_DTOS: Record<ClientFrameType, (new () => object) | null> = {
  message: SendMessageDto,
  typing: TypingFrameDto,
  ping: null,
};
