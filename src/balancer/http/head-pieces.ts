/**
 * The pieces of a head being written, joined once: `+=` made a cons string per piece and a flat
 * copy when the head was written. A user keeps one for all the heads it writes synchronously.
 * Its array is never shortened (V8 trims the backing store of a shortened array in place,
 * and the next head would grow it again): the slots past a head's last piece hold ''.
 */
export class HeadPieces {
  readonly #parts: string[] = [];
  #n = 0;
  #used = 0;

  add(s: string): void {
    this.#parts[this.#n++] = s;
  }

  line(name: string, value: string): void {
    const parts = this.#parts;
    parts[this.#n++] = name;
    parts[this.#n++] = ': ';
    parts[this.#n++] = value;
    parts[this.#n++] = '\r\n';
  }

  /** The head so far, and a fresh start for the next one. */
  take(): string {
    const parts = this.#parts;
    for (let i = this.#n; i < this.#used; i++) parts[i] = '';
    this.#used = this.#n;
    this.#n = 0;
    return parts.join('');
  }
}
