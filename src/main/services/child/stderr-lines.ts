import { LOG_LINE_MAX_CHARS } from '@shared/text/clip-lines';

export { LOG_LINE_MAX_CHARS };

/**
 * Splits a child's stderr into log lines the way a terminal shows them. A progress bar (tqdm, Keras)
 * writes "\r"-separated updates and no newline for minutes; a terminal shows only its last state. So a
 * "\r" starts the line again (keeping only what follows it), a line is emitted at "\n" or when the
 * stream ends, and a line is cut at `maxChars` — each chunk is looked at once, whatever the stream's
 * length, and memory stays bounded by `maxChars`.
 */
export class StderrLines {
  private line = '';
  private dropped = 0;
  /** The previous chunk ended in "\r": a "\r\n" split across chunks, or a progress update. */
  private pendingCr = false;

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxChars = LOG_LINE_MAX_CHARS,
  ) {}

  push(chunk: string): void {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      this.append(chunk.slice(start, nl), true);
      this.flush();
      start = nl + 1;
    }
    if (start < chunk.length) this.append(chunk.slice(start), false);
  }

  /** Emits what is left (the stream ended). */
  end(): void {
    if (this.line || this.dropped) this.flush();
    this.pendingCr = false;
  }

  private append(segment: string, beforeNewline: boolean): void {
    if (this.pendingCr && segment !== '') this.restart();
    this.pendingCr = false;
    let s = segment;
    if (s.endsWith('\r')) {
      s = s.slice(0, -1);
      // "\r\n" is a plain line end; a lone trailing "\r" restarts the line when more text follows.
      if (!beforeNewline) this.pendingCr = true;
    }
    const cr = s.lastIndexOf('\r');
    if (cr >= 0) {
      this.restart();
      s = s.slice(cr + 1);
    }
    const room = this.maxChars - this.line.length;
    if (s.length <= room) this.line += s;
    else {
      this.line += s.slice(0, Math.max(0, room));
      this.dropped += s.length - Math.max(0, room);
    }
  }

  private restart(): void {
    this.line = '';
    this.dropped = 0;
  }

  private flush(): void {
    const text = this.dropped ? `${this.line}… (${this.dropped} more characters)` : this.line;
    this.restart();
    this.emit(text);
  }
}
