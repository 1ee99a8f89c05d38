import WebSocket from 'ws';

export type Frame = { type: string } & Record<string, any>;

/** A real `ws` client that keeps every frame it receives and can wait for one. */
export class WsClient {
  readonly frames: Frame[] = [];
  closeCode?: number;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as Frame);
      this.notify();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
  }

  /** Opens a socket; resolves when it is open or already closed (a refused handshake). */
  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
    const client = new WsClient(new WebSocket(url, options));
    return new Promise((resolve) => {
      client.ws.once('open', () => resolve(client));
      client.ws.once('close', () => resolve(client));
      client.ws.once('error', () => undefined);
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (after `from`) matching `type` and `match`, waiting up to `ms`. */
  async next(
    type: string,
    match: (f: Frame) => boolean = () => true,
    ms = 3000,
    from = 0,
  ): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.frames.slice(from).find((f) => f.type === type && match(f));
      if (found) return found;
      if (this.closeCode !== undefined)
        throw new Error(`closed (${this.closeCode}) before a "${type}" frame`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no "${type}" frame within ${ms} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async closed(ms = 3000): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.closeCode === undefined && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (this.closeCode === undefined) throw new Error('socket still open');
    return this.closeCode;
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  close(): void {
    this.ws.close();
  }
}
