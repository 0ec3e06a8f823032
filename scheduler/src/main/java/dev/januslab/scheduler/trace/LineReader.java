package dev.januslab.scheduler.trace;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a UTF-8 stream into lines without decoding it: each {@link #next()} exposes the
 * bytes of one line as {@code [start, end)} of {@link #buffer()}, without the {@code \n}
 * or {@code \r\n}. Splitting on the newline byte is safe in UTF-8. The buffer grows for
 * long lines (a header holds the whole program source).
 */
final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private int lineEnd;
    private int next;
    private int filled;
    private boolean eof;
    private int lineNo;

    LineReader(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return lineEnd;
    }

    /** The 1-based number of the current line (or of the line being read when reading failed). */
    int lineNo() {
        return lineNo;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        start = next;
        int scan = start;
        lineNo++;
        while (true) {
            for (int i = scan; i < filled; i++) {
                if (buf[i] == '\n') {
                    lineEnd = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    next = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (start >= filled) {
                    lineNo--;
                    return false;
                }
                lineEnd = filled;
                next = filled;
                return true;
            }
            int scanned = filled - start;
            fill();
            scan = start + scanned;
        }
    }

    /** Moves the partial line to the front of the buffer (growing it if full) and reads more. */
    private void fill() throws IOException {
        int keep = filled - start;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, keep);
        } else if (keep == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, keep);
            buf = bigger;
        }
        start = 0;
        next = 0;
        filled = keep;
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) eof = true;
        else filled += n;
        end = filled;
    }
}
