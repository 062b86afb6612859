// `totp-token flash --board <moddable board>`: write the board's Moddable
// project, then run mcconfig on it when $MODDABLE names an SDK (its output
// streamed to stderr), or print the exact steps to do it by hand. Called by
// flash.ts for boards with a Moddable profile.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { manualSteps, runMcconfig } from '../../lib/moddable/mcconfig.ts';
import { moddableBundle, writeModdableProject } from '../../lib/moddable/project.ts';
import type { Output } from '../context.ts';
import { TokenError } from '../../lib/errors.ts';

export interface ModdableFlashOptions {
  /** Upload port for mcconfig ($UPLOAD_PORT); mcconfig finds the board without it. */
  port?: string;
  /** Project folder to keep; a temporary one otherwise. */
  out?: string;
}

export async function flashModdable(out: Output, board: ModdableBoardProfile, opts: ModdableFlashOptions): Promise<void> {
  const dir = opts.out ? resolve(opts.out) : mkdtempSync(join(tmpdir(), `totp-token-${board.id}-`));
  const bundle = await moddableBundle(board);
  const project = writeModdableProject(board, dir, bundle.text);
  const moddable = process.env.MODDABLE;
  const env = { moddable, uploadPort: opts.port };
  if (!moddable) {
    const steps = manualSteps(board, project.dir, env);
    out.result(
      [`wrote the Moddable project for ${board.name} to ${project.dir}`, '$MODDABLE is not set, so mcconfig was not run. To build and flash:', ...steps],
      { board: board.id, project: project.dir, ran: false, steps },
    );
    return;
  }
  out.note(`running ${project.command} in ${project.dir} (MODDABLE=${moddable})`);
  const run = await runMcconfig(board, project.dir, env, (line) => out.note('  ' + line));
  if (run.exitCode !== 0) throw new TokenError('FLASH_FAILED', `mcconfig exited with ${run.exitCode}; its output is above. The project is in ${project.dir}`);
  out.result([`built and flashed ${board.name} with ${run.command}`, `project: ${project.dir}`], { board: board.id, project: project.dir, ran: true, command: run.command });
}
