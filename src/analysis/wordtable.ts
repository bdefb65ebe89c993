// An allocation-free word lookup: finds text[start, end) in a fixed word list without slicing.

/** A set of lower-case words that can be probed with a slice of a string, by char codes. */
export class WordTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly words: readonly string[];

  /** Builds the table from distinct lower-case words. */
  constructor(words: Iterable<string>) {
    this.words = [...new Set(words)];
    let size = 16;
    while (size < this.words.length * 3) size <<= 1;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.words.forEach((w, i) => {
      let h = hashString(w) & this.mask;
      while (this.slots[h] !== -1) h = (h + 1) & this.mask;
      this.slots[h] = i;
    });
  }

  /** Index of text[start, end) in the word list, or -1; `text` should already be lower-case. */
  find(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h &= this.mask;
    const len = end - start;
    for (;;) {
      const slot = this.slots[h]!;
      if (slot === -1) return -1;
      const w = this.words[slot]!;
      if (w.length === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (w.charCodeAt(i) !== text.charCodeAt(start + i)) {
            same = false;
            break;
          }
        }
        if (same) return slot;
      }
      h = (h + 1) & this.mask;
    }
  }
}

function hashString(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h;
}
