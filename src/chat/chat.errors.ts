import { AppException, type AppExceptionBody } from '../common/errors/app.exception';

/**
 * The sender is not (or no longer) in the room, or the room is gone: the same answer as any
 * access error over HTTP, and the end of a socket in that room.
 */
export class NotInRoomException extends AppException {
  constructor(cause: AppException) {
    const { code, detail } = cause.getResponse() as AppExceptionBody;
    super(cause.getStatus(), code, detail);
  }
}
