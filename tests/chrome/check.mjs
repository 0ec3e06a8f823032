// Parses a Chrome Trace Event JSON file (`janus-lab run --chrome-trace`) with Chrome DevTools'
// own trace engine, the model behind its Performance panel, and prints what that engine
// understood: the threads with their slice counts, the flows it bound, and its warnings.
// Exit status 1 when it understood no worker thread or no flow, or warned.
import {analyzeTrace} from '@paulirish/trace_engine/analyze-trace.mjs';

const file = process.argv[2];
const {parsedTrace} = await analyzeTrace(file);
const data = parsedTrace.data;
const threads = [];
for (const [pid, proc] of data.Renderer.processes) {
  for (const [tid, thread] of proc.threads) threads.push({pid, tid, name: thread.name ?? null, entries: thread.entries.length});
}
const flows = data.Flows.flows.length;
const warnings = data.Warnings?.perWarning ? [...data.Warnings.perWarning.keys()] : [];
console.log(JSON.stringify({file, threads, flows, warnings}));
const workers = threads.filter(t => /^W\d+$/.test(t.name ?? '') && t.entries > 0);
if (workers.length === 0 || flows === 0 || warnings.length > 0) {
  console.error('chrome-check: ' + file + ': the DevTools trace engine found ' + workers.length + ' worker threads, '
      + flows + ' flows, warnings ' + JSON.stringify(warnings));
  process.exit(1);
}
