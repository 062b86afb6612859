// totp-token build: write a board's firmware without touching the board. A
// Moddable board gets a complete project (main.js, manifest.json, README.md)
// that the Moddable SDK's mcconfig builds and flashes; `flash` does both.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BOARDS, findBoard } from '../../../boards/index.ts';
import { moddableTarget } from '../../../boards/moddable-profile.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { moddableBundle, writeModdableProject } from '../../lib/moddable/project.ts';
import { action, usage, withJson } from '../context.ts';

interface BuildOptions {
  board: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const moddable = BOARDS.filter((b) => moddableTarget(b)).map((b) => b.id);
  withJson(
    program
      .command('build')
      .description('write the Moddable SDK project of a Moddable XS board (main.js, manifest.json, README.md with the mcconfig command)')
      .requiredOption('--board <id>', `board profile: ${moddable.join(', ')}`)
      .option('--out <dir>', 'project folder (default: ./totp-token-<board>)'),
  ).action(
    action(async (out, opts: BuildOptions) => {
      const board = findBoard(opts.board);
      if (!board || !moddableTarget(board)) throw usage(`--board ${opts.board} is not a Moddable board; build knows: ${moddable.join(', ')} (Espruino boards: totp-token flash)`);
      const dir = resolve(opts.out ?? `totp-token-${board.id}`);
      const bundle = await moddableBundle(board as ModdableBoardProfile);
      const project = writeModdableProject(board as ModdableBoardProfile, dir, bundle.text);
      out.result(
        [
          `wrote ${project.dir}: ${project.files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ')}`,
          `SDK modules: ${project.imports.join(', ')}`,
          `build and flash it (Moddable SDK installed): cd ${JSON.stringify(project.dir)} && ${project.command}`,
          'or let totp-token run mcconfig: totp-token flash --board ' + board.id,
        ],
        { board: board.id, bundleFrom: bundle.from, ...project },
      );
    }),
  );
}
