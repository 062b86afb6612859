// Builds one firmware bundle per board profile that has a firmware entry.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFirmwareBundle } from './esbuild-firmware.ts';
import { BOARDS } from '../../../boards/index.ts';

export interface BundleSize {
  board: string;
  file: string;
  bytes: number;
}

export async function buildAllFirmware(outDir: string): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const board of BOARDS) {
    if (!board.firmwareEntry) continue;
    const dir = join(outDir, board.runtime);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, board.id + '.js');
    sizes.push({ board: board.id, file, bytes: await buildFirmwareBundle(board.firmwareEntry, file, true) });
  }
  return sizes;
}
