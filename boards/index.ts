// Every board the host knows, by id. Each board is one small data file.
import type { BoardProfile } from './profile.ts';
import { sim } from './sim.ts';

export const BOARDS: BoardProfile[] = [sim];

export function findBoard(id: string): BoardProfile | undefined {
  return BOARDS.find((b) => b.id === id);
}
