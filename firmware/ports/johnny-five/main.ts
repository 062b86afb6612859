// Starts the token on a Linux board (the systemd unit runs this, bundled):
//   node token.mjs [--link /dev/ttyGS0] [--state /var/lib/totp-token]
//                  [--board rpi-zero-lcd1602] [--io raspi-io] [--rtc]
// johnny-five and the IO plugin are loaded here, at run time, from the
// folder the token is installed in: they are not dependencies of totp-token.
import { parseArgs } from 'node:util';
import { findBoard } from '../../../boards/index.ts';
import { loadModule, startJ5Token } from './j5-token.ts';
import type { JohnnyFive } from './j5-token.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      link: { type: 'string', default: '/dev/ttyGS0' },
      state: { type: 'string', default: '/var/lib/totp-token' },
      board: { type: 'string', default: 'rpi-zero-lcd1602' },
      io: { type: 'string', default: 'raspi-io' },
      rtc: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: token [--link /dev/ttyGS0] [--state DIR] [--board ID] [--io raspi-io] [--rtc]\n' +
      '  --rtc  the system time survives power loss (RTC or NTP): keep the clock across reboots');
    return;
  }
  const board = findBoard(values.board);
  if (!board || board.display.driver !== 'hd44780') throw new Error(`board '${values.board}' is not a johnny-five character-LCD board`);
  const five = (await loadModule('johnny-five')) as unknown as JohnnyFive;
  const ioModule = await loadModule(values.io);
  const IO = (ioModule.RaspiIO ?? ioModule) as new (opts: object) => unknown;
  // The token does not use the Pi's UART: leave it (and its pins) alone.
  const io = new IO(values.io === 'raspi-io' ? { enableSerial: false } : {});
  const token = await startJ5Token({ five, io, board, link: values.link, stateDir: values.state, bootId: values.rtc ? null : undefined });
  console.log(`totp-token: ${board.id} on ${token.address}, state in ${values.state}`);
  const stop = () => void token.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: Error) => {
  console.error(`totp-token: ${e.message}`);
  process.exit(1);
});
