// A board profile that names no random source (EspruinoTarget.rng), for
// entropy-restart.test.ts: the token must refuse to start and say why.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { startEspruinoToken } from '../../firmware/ports/espruino/token.ts';

startEspruinoToken(Object.assign({}, esp32, { espruino: Object.assign({}, esp32.espruino, { rng: undefined }) }) as EspruinoBoardProfile);
