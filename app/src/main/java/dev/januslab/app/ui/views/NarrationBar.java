package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.model.Narrator;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/** One plain sentence about the event at the cursor: what happened and why. */
public final class NarrationBar extends HBox implements LabView {
    private final Label where = new Label();
    private final Label sentence = new Label("Press Run (Space) to start, or open a trace.");
    private long shownSeq = -1;
    private java.util.function.LongFunction<String> stepText = seq -> null;

    /** Lesson mode: the step's narration for a seq (null where no step is). */
    public void setStepText(java.util.function.LongFunction<String> stepText) {
        this.stepText = stepText;
    }

    public NarrationBar() {
        getStyleClass().add("narration-bar");
        setId("narration");
        where.getStyleClass().add("narration-where");
        sentence.getStyleClass().add("narration-text");
        sentence.setId("narration-text");
        sentence.setWrapText(true);
        sentence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(sentence, Priority.ALWAYS);
        getChildren().addAll(where, sentence);
    }

    public String text() {
        return sentence.getText();
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        shownSeq = f.seq();
        TraceEvent e = f.event();
        if (e == null) {
            where.setText("start");
            sentence.setText(f.recording().size() == 0 ? "Waiting for the first event…"
                    : "Before the first event. Step forward (→) to watch the run unfold.");
            return;
        }
        where.setText(String.format("#%,d · %s", e.seq(), TimelineView.formatTime(e.t(), 1000)));
        String step = stepText.apply(f.seq());
        getStyleClass().remove("lesson-step-narration");
        if (step != null) {
            getStyleClass().add("lesson-step-narration");
            sentence.setText(step);
        } else {
            sentence.setText(Narrator.sentence(e, f.state()));
        }
    }
}
