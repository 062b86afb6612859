// The clock scenarios of clock-scenarios.ts, printed for clock-on-espruino.test.ts. Espruino subset.
import { clockScenarios } from './clock-scenarios.ts';

declare function print(text: string): void;

print('CLOCK ' + JSON.stringify(clockScenarios()));
