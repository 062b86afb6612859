// An emulated I2C character LCD: a PCF8574 port expander wired the usual
// backpack way (P0 RS, P1 RW, P2 EN, P3 backlight, P4..P7 = D4..D7) in front
// of an HD44780 driven in 4-bit mode. Each byte written to the PCF8574 sets
// its pins; the HD44780 latches D7..D4 and RS on EN's falling edge, exactly
// as the chip does, so the grid is what a real panel would show, not what
// the driver meant to show. (HD44780U datasheet: instruction table p.24,
// 4-bit interface p.22 and p.33, initialisation by instruction p.46.)

const RS = 0x01;
const RW = 0x02;
const EN = 0x04;
const BACKLIGHT = 0x08;

/** Character ROM A00: ASCII except 0x5C (yen) and 0x7E/0x7F (arrows); others shown as '?'. */
function romChar(code: number): string {
  if (code === 0x5c) return '¥';
  if (code === 0x7e) return '→';
  if (code === 0x7f) return '←';
  return code >= 0x20 && code < 0x7e ? String.fromCharCode(code) : '?';
}

export class Hd44780 {
  /** DDRAM: 0x00-0x27 is line 1 and 0x40-0x67 line 2 in two-line mode. */
  readonly ddram = new Uint8Array(0x80).fill(0x20);
  readonly cgram = new Uint8Array(64);
  eightBit = true; // the power-on state
  twoLines = false;
  displayOn = false;
  backlight = false;
  private ac = 0;
  private increment = true;
  private toCgram = false;
  private shift = 0;
  private pins = 0;
  private high: number | null = null; // first nibble of a 4-bit transfer
  /** Every instruction and data byte latched, for assertions. */
  readonly log: { rs: boolean; value: number }[] = [];
  /** Things a real panel would get wrong (data in 8-bit mode over 4 wires, reads). */
  readonly faults: string[] = [];

  constructor(
    readonly cols = 16,
    readonly rows = 2,
  ) {}

  /** One byte written to the PCF8574: its eight output pins. */
  writePort(value: number): void {
    const before = this.pins;
    this.pins = value & 0xff;
    this.backlight = (this.pins & BACKLIGHT) !== 0;
    if (before & EN && !(this.pins & EN)) this.latch((before >> 4) & 0x0f, (before & RS) !== 0, (before & RW) !== 0);
  }

  private latch(nibble: number, rs: boolean, rw: boolean): void {
    if (rw) {
      this.faults.push('read cycle (RW high): nothing on the backpack can read it');
      return;
    }
    if (this.eightBit) {
      // Only D7..D4 are wired; D3..D0 read as 0.
      if (rs) this.faults.push('data written in 8-bit mode: the low nibble is lost');
      this.execute(rs, nibble << 4);
      return;
    }
    if (this.high === null) {
      this.high = nibble;
      return;
    }
    const value = (this.high << 4) | nibble;
    this.high = null;
    this.execute(rs, value);
  }

  private execute(rs: boolean, value: number): void {
    this.log.push({ rs, value });
    if (rs) return this.writeData(value);
    if (value & 0x80) {
      this.ac = value & 0x7f;
      this.toCgram = false;
    } else if (value & 0x40) {
      this.ac = value & 0x3f;
      this.toCgram = true;
    } else if (value & 0x20) {
      // Function set: DL (bit 4), N (bit 3). Switching to 4 bits restarts the nibble pairing.
      this.eightBit = (value & 0x10) !== 0;
      this.twoLines = (value & 0x08) !== 0;
      this.high = null;
    } else if (value & 0x10) {
      const right = (value & 0x04) !== 0;
      if (value & 0x08) this.shift += right ? -1 : 1;
      else this.move(right);
    } else if (value & 0x08) {
      this.displayOn = (value & 0x04) !== 0;
    } else if (value & 0x04) {
      this.increment = (value & 0x02) !== 0;
    } else if (value & 0x02) {
      this.ac = 0;
      this.shift = 0;
      this.toCgram = false;
    } else if (value & 0x01) {
      this.ddram.fill(0x20);
      this.ac = 0;
      this.shift = 0;
      this.increment = true;
      this.toCgram = false;
    }
  }

  private writeData(value: number): void {
    if (this.toCgram) {
      this.cgram[this.ac & 0x3f] = value;
      this.ac = (this.ac + (this.increment ? 1 : -1)) & 0x3f;
      return;
    }
    this.ddram[this.ac] = value;
    this.move(this.increment);
  }

  /** The address counter steps through 0x00-0x27 then 0x40-0x67 (two lines), or 0x00-0x4F (one). */
  private move(forward: boolean): void {
    if (!this.twoLines) {
      this.ac = (this.ac + (forward ? 1 : 79)) % 80;
      return;
    }
    const line = this.ac & 0x40;
    let col = (this.ac & 0x3f) + (forward ? 1 : -1);
    let next = line;
    if (col > 0x27) {
      col = 0;
      next = line ^ 0x40;
    } else if (col < 0) {
      col = 0x27;
      next = line ^ 0x40;
    }
    this.ac = next | col;
  }

  /** The visible characters, one string per row (blank while the display is off). */
  lines(): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      let s = '';
      for (let c = 0; c < this.cols; c++) {
        const col = (((c + this.shift) % 40) + 40) % 40;
        s += this.displayOn ? romChar(this.ddram[(r === 1 ? 0x40 : 0) + col]) : ' ';
      }
      out.push(s);
    }
    return out;
  }
}

/**
 * The code screen as a person reads it off the 16x2 grid
 * (firmware/ports/johnny-five/lcd-canvas.ts): line 1 the label ("issuer: name",
 * cut with '~', which the A00 ROM shows as '→'), line 2 the code, then the
 * seconds left at the right edge. `code` is null when line 2 holds no code.
 */
export function readCodeScreen(lines: string[]): { label: string; code: string | null; secondsLeft: number | null } {
  const [top = '', bottom = ''] = lines;
  const m = /^(\d{6,10}) (?:.* )?(\d+)s$/.exec(bottom);
  return { label: top.trimEnd(), code: m ? m[1] : null, secondsLeft: m ? Number(m[2]) : null };
}
