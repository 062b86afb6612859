// USB vendor ids of the boards and USB-serial chips the token runs on: the
// CLI marks likely boards with them (host/lib/ports.ts), the web page filters
// its Web Serial port chooser with them (host/lib/transport/web-serial.ts).
// Data only, so either host may import it.

export const USB_VENDORS: Record<string, string> = {
  '0483': 'STMicroelectronics (Espruino Pico/Wifi)',
  '303a': 'Espressif (ESP32-S2/S3/C3 USB)',
  '10c4': 'Silicon Labs CP210x USB-serial',
  '1a86': 'WCH CH340 USB-serial',
  '0403': 'FTDI USB-serial',
  '2e8a': 'Raspberry Pi (RP2040)',
  '239a': 'Adafruit',
  '1915': 'Nordic Semiconductor (nRF52)',
};
