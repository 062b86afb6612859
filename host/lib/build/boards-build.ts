// Builds one firmware bundle per board profile that has a firmware entry.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFirmwareBundle } from './esbuild-firmware.ts';
import { buildModdableBundle } from '../moddable/bundle.ts';
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
    const bundle = board.runtime === 'xs' ? buildModdableBundle : buildFirmwareBundle; // Moddable apps are ES modules
    sizes.push({ board: board.id, file, bytes: await bundle(board.firmwareEntry, file, true) });
  }
  return sizes;
}
