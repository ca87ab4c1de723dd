import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { parentPort, workerData } from 'node:worker_threads';

/** One html-validate per thread: `npm run verify` validates pages on every core. */
export interface PageMessages {
  file: string;
  messages: { line: number; column: number; message: string; ruleId: string }[];
}

const validator = new HtmlValidate(new StaticConfigLoader(workerData as ConfigData));

parentPort!.on('message', async (files: string[]) => {
  const out: PageMessages[] = [];
  for (const file of files) {
    const report = await validator.validateFile(file);
    const messages = report.results.flatMap((r) =>
      r.messages.filter((m) => m.severity >= 2).map((m) => ({ line: m.line, column: m.column, message: m.message, ruleId: m.ruleId })),
    );
    out.push({ file, messages });
  }
  parentPort!.postMessage(out);
});
