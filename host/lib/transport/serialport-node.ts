// serialport's two halves that a link uses: the Node stream and the platform
// binding (what the `serialport` package's SerialPort class joins). Imported
// only when a port is opened or listed; the CLI build bundles their JavaScript
// into one file and leaves only the native addon's loader to node_modules.
export { SerialPortStream } from '@serialport/stream';
export { autoDetect } from '@serialport/bindings-cpp';
