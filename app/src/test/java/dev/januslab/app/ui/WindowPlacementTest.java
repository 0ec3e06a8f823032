package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {
    @Test
    void aLaptopGetsTheUsualSizeWithinItsScreenAndAProjectorMostOfIt() {
        WindowPlacement.Placement laptop = WindowPlacement.forScreen(new Rectangle2D(0, 0, 1366, 740));
        assertEquals(1311, laptop.width());
        assertEquals(695, laptop.height(), "within the screen: the status bar stays on it");
        WindowPlacement.Placement usual = WindowPlacement.forScreen(new Rectangle2D(0, 0, 1600, 1000));
        assertEquals(1440, usual.width());
        assertEquals(900, usual.height());
        WindowPlacement.Placement projector = WindowPlacement.forScreen(new Rectangle2D(0, 0, 1920, 1080));
        assertEquals(1728, projector.width());
        assertEquals(972, projector.height());
    }

    @Test
    void aRememberedPlacementReadsBackAndADamagedOneIsIgnored() {
        var p = new WindowPlacement.Placement(120, 40, 1700, 1000, true);
        assertEquals(p, WindowPlacement.parse(WindowPlacement.format(p)));
        assertNull(WindowPlacement.parse(""));
        assertNull(WindowPlacement.parse("1,2,3"));
        assertNull(WindowPlacement.parse("a,b,c,d,true"));
        assertNull(WindowPlacement.parse("0,0,10,10,false"), "too small to be a window the user meant");
    }
}
