/**
 * Chunked transfer coding, both ways.
 *
 * Decoding mirrors ngx_http_parse_chunked() (nginx 1.22) state by state:
 *
 *   chunk      = 1*HEX [ (";" | SP | HTAB) ext-bytes ] [CR] LF data [CR] LF
 *   last-chunk = 1*"0"  [ (";" | SP | HTAB) ext-bytes ] [CR] LF *( trailer-line [CR] LF ) [CR] LF
 *
 * where a CR must be followed by LF and anything else is `upstream sent invalid chunked response`.
 * Data is handed on as views of the read buffer (no copies); the trailer is read and dropped.
 * A size past 2^53 / 16 is invalid (nginx's limit is 2^63 / 16).
 * Encoding frames a request body: `<hex size> CRLF <data> CRLF` per piece, `0 CRLF CRLF` at the end.
 * Must not: copy data bytes; allocate per byte.
 */

export const CHUNKED_AGAIN = 0;
export const CHUNKED_DONE = 1;
export const CHUNKED_INVALID = 2;
export type ChunkedResult = typeof CHUNKED_AGAIN | typeof CHUNKED_DONE | typeof CHUNKED_INVALID;

/** Receives the decoded data, piece by piece. */
export interface PieceSink {
  piece(data: Buffer): void;
}

const CR = 13, LF = 10;
const MAX_SIZE_BEFORE_DIGIT = Math.floor(Number.MAX_SAFE_INTEGER / 16);

const enum S {
  ChunkStart, ChunkSize, ChunkExtension, ChunkExtensionAlmostDone, ChunkData, AfterData, AfterDataAlmostDone,
  LastChunkExtension, LastChunkExtensionAlmostDone, Trailer, TrailerAlmostDone, TrailerHeader, TrailerHeaderAlmostDone,
}

function hexValue(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  const c = ch | 0x20;
  return c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
}

export class ChunkedDecoder {
  private state = S.ChunkStart;
  private size = 0;
  /** After CHUNKED_DONE: the offset just past the terminator in the buffer last fed. */
  doneAt = 0;

  reset(): void {
    this.state = S.ChunkStart;
    this.size = 0;
    this.doneAt = 0;
  }

  /** Decodes buf[from..]; data pieces go to `sink` as they are found. */
  feed(buf: Buffer, from: number, sink: PieceSink): ChunkedResult {
    const end = buf.length;
    let p = from;
    while (p < end) {
      if (this.state === S.ChunkData) {
        const n = Math.min(this.size, end - p);
        sink.piece(p === 0 && n === end ? buf : buf.subarray(p, p + n));
        this.size -= n;
        p += n;
        if (this.size === 0) this.state = S.AfterData;
        continue;
      }
      const r = this.step(buf[p]!);
      if (r === CHUNKED_INVALID) return r;
      p++;
      if (r === CHUNKED_DONE) {
        this.doneAt = p;
        return r;
      }
    }
    return CHUNKED_AGAIN;
  }

  /** One byte outside chunk data. */
  private step(ch: number): ChunkedResult {
    switch (this.state) {
      case S.ChunkStart: {
        const v = hexValue(ch);
        if (v < 0) return CHUNKED_INVALID;
        this.size = v;
        this.state = S.ChunkSize;
        return CHUNKED_AGAIN;
      }
      case S.ChunkSize: {
        if (this.size > MAX_SIZE_BEFORE_DIGIT) return CHUNKED_INVALID;
        const v = hexValue(ch);
        if (v >= 0) { this.size = this.size * 16 + v; return CHUNKED_AGAIN; }
        const last = this.size === 0;
        if (ch === CR) this.state = last ? S.LastChunkExtensionAlmostDone : S.ChunkExtensionAlmostDone;
        else if (ch === LF) this.state = last ? S.Trailer : S.ChunkData;
        else if (ch === 0x3b || ch === 0x20 || ch === 0x09) this.state = last ? S.LastChunkExtension : S.ChunkExtension;
        else return CHUNKED_INVALID;
        return CHUNKED_AGAIN;
      }
      case S.ChunkExtension:
        if (ch === CR) this.state = S.ChunkExtensionAlmostDone;
        else if (ch === LF) this.state = S.ChunkData;
        return CHUNKED_AGAIN;
      case S.ChunkExtensionAlmostDone:
        if (ch !== LF) return CHUNKED_INVALID;
        this.state = S.ChunkData;
        return CHUNKED_AGAIN;
      case S.AfterData:
        if (ch === CR) this.state = S.AfterDataAlmostDone;
        else if (ch === LF) this.state = S.ChunkStart;
        else return CHUNKED_INVALID;
        return CHUNKED_AGAIN;
      case S.AfterDataAlmostDone:
        if (ch !== LF) return CHUNKED_INVALID;
        this.state = S.ChunkStart;
        return CHUNKED_AGAIN;
      case S.LastChunkExtension:
        if (ch === CR) this.state = S.LastChunkExtensionAlmostDone;
        else if (ch === LF) this.state = S.Trailer;
        return CHUNKED_AGAIN;
      case S.LastChunkExtensionAlmostDone:
        if (ch !== LF) return CHUNKED_INVALID;
        this.state = S.Trailer;
        return CHUNKED_AGAIN;
      case S.Trailer:
        if (ch === CR) this.state = S.TrailerAlmostDone;
        else if (ch === LF) return this.done();
        else this.state = S.TrailerHeader;
        return CHUNKED_AGAIN;
      case S.TrailerAlmostDone:
        return ch === LF ? this.done() : CHUNKED_INVALID;
      case S.TrailerHeader:
        if (ch === CR) this.state = S.TrailerHeaderAlmostDone;
        else if (ch === LF) this.state = S.Trailer;
        return CHUNKED_AGAIN;
      case S.TrailerHeaderAlmostDone:
        if (ch !== LF) return CHUNKED_INVALID;
        this.state = S.Trailer;
        return CHUNKED_AGAIN;
      case S.ChunkData:
        return CHUNKED_AGAIN;                // handled by feed()
    }
  }

  private done(): ChunkedResult {
    this.state = S.ChunkStart;
    return CHUNKED_DONE;
  }
}

export const CRLF = Buffer.from('\r\n', 'latin1');
export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

/** `<hex size>\r\n`, the line before a chunk's data. */
export function chunkSizeLine(bytes: number): string {
  return bytes.toString(16) + '\r\n';
}
