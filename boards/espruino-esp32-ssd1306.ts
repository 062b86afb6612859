// A generic ESP32 dev board (ESP32-WROOM DevKitC and the like) running
// Espruino, with a 128x64 SSD1306 I2C OLED and one push button added. The
// ESP32 build has SHA1, SHA256 and SHA512 natively and the 6x8 font. The
// token link is UART0 (Serial1) behind the board's USB-serial bridge.
import type { EspruinoBoardProfile } from './espruino-profile.ts';

export const espruinoEsp32Ssd1306: EspruinoBoardProfile = {
  id: 'espruino-esp32-ssd1306',
  name: 'ESP32 DevKit + SSD1306 OLED (Espruino)',
  runtime: 'espruino',
  display: { driver: 'ssd1306', width: 128, height: 64, pins: { scl: 'D22', sda: 'D21' }, address: 0x3c },
  // Not the BOOT button (GPIO 0): held at reset, it starts the ROM bootloader.
  buttons: [{ role: 'next+confirm', pin: 'D13', activeLow: true }],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  storage: { kind: 'espruino-storage', maxAccounts: 32 },
  clock: { source: 'rtc-crystal', typicalDriftPpm: 30 },
  firmwareEntry: 'firmware/ports/espruino/esp32-ssd1306.ts',
  wiring: [
    'SSD1306 128x64 I2C OLED: SCL to GPIO 22, SDA to GPIO 21, VCC to 3V3, GND to GND (address 0x3C).',
    'Button: GPIO 13 to GND (internal pull-up). Short press = next account, hold 1 s = confirm.',
    'Token link: the board\'s USB port (UART0 through its USB-serial chip, 115200 baud).',
  ],
  espruino: {
    firmwareBoards: ['ESP32'],
    link: 'Serial1',
    baud: 115200,
    bus: 'I2C1',
    i2c: { scl: 'D22', sda: 'D21', bitrate: 400000 },
    font: '6x8',
    confirmHint: 'Hold button 1 s',
    replMode: 'hold the GPIO 13 button while pressing EN (reset) and release it after a second: the token does not start and the REPL stays on USB',
    // The ESP32's hardware RNG (ESP-IDF components/soc/esp32/include/soc/wdev_reg.h, WDEV_RND_REG, what esp_random() reads):
    // Espruino's E.hwRand on ESP32 is rand() from fixed seeds (targets/esp32/jshardware.c), the same numbers after every boot.
    // Per ESP-IDF's "Random Number Generation": true random while the RF subsystem runs (Espruino inits Wi-Fi at boot by
    // default, targets/esp32/jshardware.c), otherwise a state the bootloader seeds with ADC noise at every boot.
    rng: 0x60035144,
  },
};
