// A generic ESP32 dev board (ESP32-WROOM DevKitC and the like) on Moddable XS,
// with a 128x64 SSD1306 OLED on I2C and one push button added.
import type { ModdableBoardProfile } from './moddable-profile.ts';

export const moddableEsp32Ssd1306: ModdableBoardProfile = {
  id: 'moddable-esp32-ssd1306',
  name: 'ESP32 DevKit + SSD1306 OLED (Moddable XS)',
  runtime: 'xs',
  display: { driver: 'ssd1306', width: 128, height: 64, pins: { sda: 21, scl: 22 }, address: 0x3c },
  buttons: [
    { role: 'next', pin: 0, activeLow: true },
    { role: 'confirm', pin: 4, activeLow: true },
  ],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  storage: { kind: 'moddable-preference', maxAccounts: 32 },
  clock: { source: 'rtc-crystal', typicalDriftPpm: 20 },
  firmwareEntry: 'firmware/ports/moddable/esp32-ssd1306.ts',
  wiring: [
    'SSD1306 128x64 I2C OLED: SDA to GPIO 21, SCL to GPIO 22, VCC to 3V3, GND to GND (address 0x3C).',
    'Confirm button: GPIO 4 to GND (internal pull-up). Next account: the BOOT button (GPIO 0).',
    'The token link is UART1 on the USB bridge pins (GPIO 1 TX / GPIO 3 RX).',
  ],
  moddable: {
    platform: 'esp32',
    serial: { port: 1, receive: 3, transmit: 1, baud: 115200, via: 'the USB port (the board\'s USB-serial bridge)' },
    i2c: { data: 21, clock: 22, hz: 400000 },
    displayOutput: 'ssd1306-i2c',
    canvas: { width: 128, height: 64, scale: 1 },
    buttonPull: 'internal',
    preference: { store: 'nvs', maxKeyChars: 15, maxValueBytes: 4000, capacityBytes: 24576 },
    hardwareRandom: true,
    confirmHint: 'Press the GPIO4 button',
  },
};
