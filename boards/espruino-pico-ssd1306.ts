// Espruino Pico (STM32F401) with a 128x64 SSD1306 I2C OLED and its own
// button. The Pico's firmware has SHA1 and SHA256 natively (no SHA512), and
// no 6x8 font. It has no 32 kHz crystal fitted: its RC clock drifts minutes a
// day, which the app's clock corrects from successive syncs.
import type { EspruinoBoardProfile } from './espruino-profile.ts';

export const espruinoPicoSsd1306: EspruinoBoardProfile = {
  id: 'espruino-pico-ssd1306',
  name: 'Espruino Pico + SSD1306 OLED',
  runtime: 'espruino',
  display: { driver: 'ssd1306', width: 128, height: 64, pins: { scl: 'B8', sda: 'B9' }, address: 0x3c },
  // BTN (C13) reads high when pressed. Short press: next account; hold 1 s: confirm.
  buttons: [{ role: 'next+confirm', pin: 'C13', activeLow: false }],
  nativeHashes: ['SHA1', 'SHA256'],
  algorithms: ['SHA1', 'SHA256'],
  storage: { kind: 'espruino-storage', maxAccounts: 32 },
  clock: { source: 'rtc-rc', typicalDriftPpm: 5000 }, // no 32 kHz crystal: RC, minutes a day
  firmwareEntry: 'firmware/ports/espruino/pico-ssd1306.ts',
  wiring: [
    'SSD1306 128x64 I2C OLED: SCL to B8, SDA to B9, VCC to 3.3, GND to GND (address 0x3C).',
    'Button: the Pico\'s own BTN. Short press = next account, hold 1 s = confirm.',
    'Token link: the Pico\'s USB plug.',
  ],
  espruino: {
    firmwareBoards: ['PICO_R1_3'],
    link: 'USB',
    bus: 'I2C1',
    i2c: { scl: 'B8', sda: 'B9', bitrate: 400000 },
    font: '4x6',
    confirmHint: 'Hold BTN 1 s',
    replMode: 'hold BTN while plugging the Pico in and keep holding it about 3 s, until the LEDs stop: Espruino then starts without the token, with the REPL on USB',
    // STM32F401: E.hwRand reads the voltage reference's noise (targets/stm32/jshardware.c, jshGetRandomNumber).
    rng: 'hwRand',
  },
};
