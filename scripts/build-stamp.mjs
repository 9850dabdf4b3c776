// The last step of `npm run build`: records when dist/ was built, so the test run can refuse
// a dist/ older than the sources it was built from (tests/stale-dist.ts).
import { writeFileSync } from 'node:fs';

writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`);
