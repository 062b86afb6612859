// M5StickC Plus on Moddable XS: ESP32-PICO-D4, built-in 1.14" ST7789 TFT
// (135x240, landscape as Moddable's esp32/m5stick_cplus target sets it up),
// button A (front, "M5") and button B (side), a CH552 USB-serial bridge.
import type { ModdableBoardProfile } from './moddable-profile.ts';

export const moddableM5stickcPlus: ModdableBoardProfile = {
  id: 'moddable-m5stickc-plus',
  name: 'M5StickC Plus (Moddable XS)',
  runtime: 'xs',
  display: { driver: 'st7789', width: 240, height: 135, pins: { mosi: 15, sck: 13, cs: 5, dc: 23, rst: 18 } },
  buttons: [
    { role: 'confirm', pin: 37, activeLow: true },
    { role: 'next', pin: 39, activeLow: true },
  ],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  storage: { kind: 'moddable-preference', maxAccounts: 32 },
  clock: { source: 'rtc-crystal', typicalDriftPpm: 20 },
  firmwareEntry: 'firmware/ports/moddable/m5stickc-plus.ts',
  wiring: [
    'Nothing to wire: display, buttons and USB serial are on the stick.',
    'Button A (front, "M5") confirms; button B (side) moves to the next account.',
    'Hold the stick sideways (landscape); the token link is UART1 on the USB bridge pins (GPIO 1/3).',
  ],
  moddable: {
    platform: 'esp32/m5stick_cplus',
    serial: { port: 1, receive: 3, transmit: 1, baud: 115200, via: 'the USB-C port (CH552 USB-serial bridge)' },
    displayOutput: 'screen',
    // 120x64 drawn at 2x fills 240x128 of the 240x135 panel.
    canvas: { width: 120, height: 64, scale: 2 },
    // GPIO 37 and 39 are input-only pins without pull-ups; the stick fits its own.
    buttonPull: 'external',
    preference: { store: 'nvs', maxKeyChars: 15, maxValueBytes: 4000, capacityBytes: 24576 },
    hardwareRandom: true,
    include: ['$(MODDABLE)/examples/manifest_commodetto.json'],
    confirmHint: 'Press A (front) to confirm',
  },
};
