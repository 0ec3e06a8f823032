// Parses a Chrome Trace Event JSON file (`janus-lab run --chrome-trace`) with Chrome DevTools'
// own trace engine, the model behind its Performance panel, and prints what that engine
// understood: the threads with their slice counts, the flows it bound, and its warnings.
// Exit status 1 when it understood no worker thread, bound fewer flows than the file has
// bindable ones, or warned. DevTools keys a flow's points by timestamp, so an edge whose two
// ends share one (a spawn run at once, common in deterministic virtual time) cannot show
// there: those are counted apart, and Perfetto, which binds by enclosing slice, shows them.
import {readFileSync} from 'node:fs';
import {analyzeTrace} from '@paulirish/trace_engine/analyze-trace.mjs';

const file = process.argv[2];
const {parsedTrace} = await analyzeTrace(file);
const data = parsedTrace.data;
const threads = [];
for (const [pid, proc] of data.Renderer.processes) {
  for (const [tid, thread] of proc.threads) threads.push({pid, tid, name: thread.name ?? null, entries: thread.entries.length});
}
const flows = data.Flows.flows.length;
// the file's own flow edges: id -> timestamps of its s and f events
const ends = new Map();
const json = JSON.parse(readFileSync(file, 'utf8'));
for (const e of Array.isArray(json) ? json : json.traceEvents) {
  if (e.ph === 's' || e.ph === 'f') ends.set(e.id, [...(ends.get(e.id) ?? []), e.ts]);
}
const edges = [...ends.values()];
const bindable = edges.filter(ts => ts.length === 2 && ts[0] !== ts[1]).length;
const warnings = data.Warnings?.perWarning ? [...data.Warnings.perWarning.keys()] : [];
console.log(JSON.stringify({file, threads, flows, flowEdges: edges.length, bindable, warnings}));
const workers = threads.filter(t => /^W\d+$/.test(t.name ?? '') && t.entries > 0);
const unpaired = edges.filter(ts => ts.length !== 2).length;
if (workers.length === 0 || flows < bindable || unpaired > 0 || warnings.length > 0) {
  console.error('chrome-check: ' + file + ': the DevTools trace engine found ' + workers.length + ' worker threads, '
      + flows + ' of ' + bindable + ' bindable flows (' + unpaired + ' unpaired), warnings ' + JSON.stringify(warnings));
  process.exit(1);
}
