// Raspberry Pi Pico (RP2040) on Moddable XS with a 128x64 SSD1306 OLED and two
// push buttons. Moddable uses the Pico's own USB port for its debug console,
// so the token's link is UART0 through a 3.3 V USB-serial adapter.
import type { ModdableBoardProfile } from './moddable-profile.ts';

export const moddablePicoSsd1306: ModdableBoardProfile = {
  id: 'moddable-pico-ssd1306',
  name: 'Raspberry Pi Pico + SSD1306 OLED (Moddable XS)',
  runtime: 'xs',
  display: { driver: 'ssd1306', width: 128, height: 64, pins: { sda: 'GP4', scl: 'GP5' }, address: 0x3c },
  buttons: [
    { role: 'next', pin: 14, activeLow: true },
    { role: 'confirm', pin: 15, activeLow: true },
  ],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  // One 4 KB flash sector holds every preference, and a commit briefly keeps
  // two copies of the account set: ten AWS-sized accounts fit (test/xs);
  // fewer with the longest names and 64-byte seeds (STORAGE_FAILED, old set kept).
  storage: { kind: 'moddable-preference', maxAccounts: 6 },
  clock: { source: 'rtc-crystal', typicalDriftPpm: 30 },
  firmwareEntry: 'firmware/ports/moddable/pico-ssd1306.ts',
  wiring: [
    'SSD1306 128x64 I2C OLED: SDA to GP4 (pin 6), SCL to GP5 (pin 7), VCC to 3V3(OUT), GND to GND (address 0x3C).',
    'Buttons to GND: GP14 (pin 19) next account, GP15 (pin 20) confirm (internal pull-ups).',
    'Token link: a 3.3 V USB-serial adapter (or a Raspberry Pi Debug Probe) on GP0 = TX (pin 1), GP1 = RX (pin 2), GND; the Pico\'s USB port stays Moddable\'s console.',
  ],
  moddable: {
    platform: 'pico',
    serial: { port: 0, receive: 1, transmit: 0, baud: 115200, via: 'a 3.3 V USB-serial adapter on GP0/GP1' },
    i2c: { data: 4, clock: 5, hz: 400000 },
    displayOutput: 'ssd1306-i2c',
    canvas: { width: 128, height: 64, scale: 1 },
    buttonPull: 'internal',
    preference: { store: 'sector', maxKeyChars: 31, maxValueBytes: 63, capacityBytes: 4096 },
    hardwareRandom: false,
    confirmHint: 'Press the GP15 button',
  },
};
