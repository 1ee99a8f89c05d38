/** Runs one statement and resolves with its rows. */
export type Run = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export function runner(db: { query(sql: string, params?: unknown[]): Promise<unknown> }): Run;

export function insertUsers(
  run: Run,
  options: {
    count: number;
    prefix: string;
    hashedPassword: string;
  },
): Promise<string[]>;

export function insertPosts(
  run: Run,
  options: {
    authorIds: string[];
    total: number;
    from?: number;
    to?: number;
    newest?: Date | string;
    captionExtra?: string;
  },
): Promise<Array<{ id: string }>>;

export function insertMessages(
  run: Run,
  options: { roomId: string; senderIds: string[]; count: number },
): Promise<string[]>;
