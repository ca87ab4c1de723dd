// Setup file of the `site` project: its test files read the builds the global setup started.
import { siteBuildsDone } from './site-builds';

await siteBuildsDone();
