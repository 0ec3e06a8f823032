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
