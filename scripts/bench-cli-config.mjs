// The flat config file of the ESLint CLI runs of `npm run bench -- --corpus` (`--config`, outside
// the app): BENCH_CONFIG picks one of bench-config.mjs.
import { benchConfig } from './bench-config.mjs';

export default await benchConfig(process.env.BENCH_CONFIG);
