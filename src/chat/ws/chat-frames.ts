import { Injectable, Logger } from '@nestjs/common';
import type { RawData } from 'ws';
import { AppException, type AppExceptionBody } from '../../common/errors/app.exception';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import { CLOSE } from '../../realtime/close-codes';
import { NotInRoomException } from '../chat.errors';
import { MessagesService } from '../messages.service';
import type { ChatSocket } from './chat-socket';
import { decodeFrame, validateFrame } from './frame-parser';
import { type ClientFrame, type ClientFrames, frame } from './frames';
import { TypingService } from './typing.service';

/**
 * What a chat socket sends: checked on arrival (size, JSON, flood limit), then handled one
 * after the other in arrival order; every refusal is an error frame, and an error that ends
 * the socket's right to be in the room (or its token's) closes it.
 */
@Injectable()
export class ChatFrames {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly messages: MessagesService,
    private readonly typing: TypingService,
  ) {}

  receive(socket: ChatSocket, data: RawData, isBinary: boolean): void {
    const decoded = decodeFrame(data, isBinary);
    // The flood limit counts frames on arrival, so a fast sender cannot pile up work.
    const limited =
      'type' in decoded && (decoded.type === 'message' || decoded.type === 'typing')
        ? !socket.allow()
        : false;
    // Everything else is queued, so answers (and error frames) follow the frames' order.
    const queued = socket.enqueue(async () => {
      if ('error' in decoded) return socket.sendFrame(frame('error', decoded.error));
      if (limited) {
        const clientId = decoded.body.client_id;
        return socket.sendFrame(
          frame('error', {
            code: 'RATE_LIMITED',
            detail: 'Too many frames; slow down',
            ...(typeof clientId === 'string' ? { client_id: clientId } : {}),
          }),
        );
      }
      const validated = await validateFrame(decoded.type, decoded.body);
      if ('error' in validated) return socket.sendFrame(frame('error', validated.error));
      await this.handle(socket, validated.frame);
    }, this.failed);
    if (!queued) socket.close(CLOSE.POLICY, 'Too many frames');
  }

  private readonly failed = (err: unknown): void => {
    this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  };

  private async handle(socket: ChatSocket, f: ClientFrame): Promise<void> {
    switch (f.type) {
      case 'ping':
        return socket.sendFrame(frame('pong', {}));
      case 'typing':
        return this.typing.relay(socket, f.typing);
      case 'message':
        return this.message(socket, f);
    }
  }

  private async message(socket: ChatSocket, f: ClientFrames['message']): Promise<void> {
    try {
      // Stored, then delivered to the whole room by the bus, the sender included.
      await this.messages.send(socket.user, socket.roomId, f);
    } catch (err) {
      const clientId = f.client_id ? { client_id: f.client_id } : {};
      if (err instanceof AppException) {
        const { code, detail } = err.getResponse() as AppExceptionBody;
        socket.sendFrame(frame('error', { code, detail, ...clientId }));
        // Removed from the room (or banned) while the news was in flight: the statement said so.
        if (err instanceof NotInRoomException)
          socket.close(CLOSE.FORBIDDEN, 'Not a member of the room');
        else if (err.getStatus() === 401) socket.close(CLOSE.UNAUTHORIZED, 'Unauthorized');
        return;
      }
      if (isDatabaseUnavailable(err)) {
        return socket.sendFrame(
          frame('error', {
            code: 'SERVICE_UNAVAILABLE',
            detail: 'The message could not be stored; send it again (same client_id)',
            ...clientId,
          }),
        );
      }
      this.failed(err);
      socket.sendFrame(
        frame('error', {
          code: 'INTERNAL_ERROR',
          detail: 'The message could not be sent',
          ...clientId,
        }),
      );
    }
  }
}
