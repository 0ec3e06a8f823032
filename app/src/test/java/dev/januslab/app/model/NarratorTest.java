package dev.januslab.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NarratorTest {
    @Test
    void aStealIsExplainedInOnePlainSentence() {
        Trace rec = SampleTraces.steal();
        long q = TraceModelTest.find(rec, 0, "task_steal");
        TraceEvent.TaskSteal e = (TraceEvent.TaskSteal) rec.get(q);
        SchedulerState s = rec.stateAt(q);
        assertEquals("W1 had nothing to run, so it stole fetch#1 from the far end of W0's deque.", Narrator.sentence(e, s));
        assertEquals("W" + e.w() + " had nothing to run, so it stole " + s.taskName(e.task())
                + " from the far end of W" + e.victim() + "'s deque.", Narrator.sentence(e, s));
    }

    @Test
    void anErrorSaysWhereItLeftTheTaskAndWhereItWasRaised() {
        // as the VM records them: a child raises it with a message; its parent gets it at the
        // nursery's end (line 15), still carrying the line it was raised at (4)
        var child = new TraceEvent.TaskError(57, 0, 1, 3, "Runtime.DivByZero", 4,
                "integer division by zero\n  at worker (/tmp/fail.jan:4)");
        var parent = new TraceEvent.TaskError(96, 0, 1, 0, "Runtime.DivByZero", 4, "  at main (/tmp/fail.jan:15)");
        assertEquals("✖ Runtime.DivByZero at line 4: integer division by zero", EscapedError.of(child).consoleText());
        assertEquals("✖ Runtime.DivByZero at line 15 (raised at line 4)", EscapedError.of(parent).consoleText());
        Trace rec = SampleTraces.failingChild();
        SchedulerState s = rec.stateAt(rec.size() - 1);
        assertEquals(s.taskName(0) + " fails: Runtime.DivByZero escapes it at line 15 (raised at line 4).",
                Narrator.sentence(parent, s));
        assertEquals(s.taskName(3) + " fails: Runtime.DivByZero escapes it at line 4 — integer division by zero.",
                Narrator.sentence(child, s));
    }

    @Test
    void everyEventOfEverySampleGetsASentence() {
        for (Map.Entry<String, Trace> d : Map.of("steal", SampleTraces.steal(), "cancel", SampleTraces.cancelWave(),
                "failing", SampleTraces.failingChild()).entrySet()) {
            Trace rec = d.getValue();
            SchedulerState s = rec.initialState();
            for (long i = 0; i < rec.size(); i++) {
                s = s.apply(rec.get(i));
                String text = Narrator.sentence(rec.get(i), s);
                assertFalse(text.startsWith("Event "), d.getKey() + " #" + i + " " + rec.get(i).kind());
                assertFalse(text.contains("null"), d.getKey() + " #" + i + ": " + text);
            }
        }
    }
}
