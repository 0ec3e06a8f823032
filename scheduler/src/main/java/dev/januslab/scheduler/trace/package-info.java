/**
 * The trace model: the one stream of scheduler events (TRACE.md) and everything read from it.
 *
 * <ul>
 * <li>{@link dev.januslab.scheduler.trace.TraceEvent} — one record per event kind, plus
 *     {@code Unknown} for kinds added by newer tools (kept, written back, never folded).</li>
 * <li>{@link dev.januslab.scheduler.trace.Trace} — append-only, one writer and many readers;
 *     {@code stateAt(seq)} from keyframes every 1,024 events.</li>
 * <li>{@link dev.januslab.scheduler.trace.SchedulerState} — the folded picture at one seq
 *     (workers, deques, inject queue, tasks, nursery tree, waits, cancellation, output), with
 *     {@link dev.januslab.scheduler.trace.TaskInfo} and {@link dev.januslab.scheduler.trace.NurseryInfo};
 *     persistent, so keyframes share structure.</li>
 * <li>{@link dev.januslab.scheduler.trace.TraceFiles} — {@code .jtrace} / {@code .jtrace.gz} JSON Lines;
 *     failures are {@link dev.januslab.scheduler.trace.TraceFileException}s reading {@code FILE:LINE: reason}.</li>
 * <li>{@link dev.januslab.scheduler.trace.ChromeTraceExporter} — Chrome Trace Event JSON for Perfetto.</li>
 * <li>{@link dev.januslab.scheduler.trace.InvariantChecker} — TRACE.md §2, 1–7, and 8 by comparing files.</li>
 * <li>{@link dev.januslab.scheduler.trace.TraceBuilder}, {@link dev.januslab.scheduler.trace.SampleTraces},
 *     {@link dev.januslab.scheduler.trace.SyntheticRun} — canned and generated traces for views and tests.</li>
 * </ul>
 *
 * <p>No JavaFX and no native code here: the views, the replay, the CLI export and the tests all
 * read this package. Benchmark (not part of the test suite; run it on a quiet machine):
 * <pre>
 * ./mvnw -q -pl scheduler -Dnative.skip -DskipTests test-compile exec:java \
 *     -Dexec.mainClass=dev.januslab.scheduler.trace.TraceBenchmark -Dexec.classpathScope=test
 * </pre>
 */
package dev.januslab.scheduler.trace;
