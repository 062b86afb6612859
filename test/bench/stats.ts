// Median and spread of repeated measurements, for the bench's figures.
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

/**
 * "0.334 ms (0.321-0.402, 7 runs)": the median first. A wide spread means
 * the machine was busy (other processes only ever slow a run down), so the
 * best run is the closest to what the code itself costs.
 */
export function formatSpread(s: Spread, digits: number, unit: string): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)}, ${s.n} runs)`;
}
