package dev.januslab.app.ui;

/** A view drawn from the state at the cursor; rendered at most once per frame by {@link FrameLoop}. */
public interface LabView {
    void render(Frame frame);

    /** The seq this view shows now (tests check views stay in lockstep). */
    long shownSeq();
}
