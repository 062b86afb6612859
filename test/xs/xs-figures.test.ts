// Keeps the XS figures script (test/bench/xs-figures.ts, `npm run bench`) working:
// every probe computes RFC 6238's code in XS (checked inside xsFigures).
import { describe, expect, it } from 'vitest';
import { xsFigures } from '../bench/xs-figures.ts';

describe('XS figures', () => {
  it('measures bundle sizes and computrons per code', async () => {
    const f = await xsFigures();
    console.info(JSON.stringify(f, null, 1));
    expect(f.bundles.map((b) => b.board)).toEqual(['moddable-m5stickc-plus', 'moddable-esp32-ssd1306', 'moddable-pico-ssd1306']);
    for (const b of f.bundles) expect(b.bytes).toBeLessThan(64 * 1024);
    // Figures only (npm run bench prints them): no ordering between them is asserted.
    expect(f.perCode).toHaveLength(4);
    for (const c of f.perCode) expect(c.computrons).toBeGreaterThan(0);
  }, 120000);
});
