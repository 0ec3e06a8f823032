package dev.januslab.scheduler.trace;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code .jtrace} files (TRACE.md §3): UTF-8 JSON Lines, gzip-compressed when the name
 * ends in {@code .gz}. Reading recognises gzip by its magic bytes whatever the name, and
 * reports any problem as a {@link TraceFileException} whose message is {@code FILE:LINE: reason}.
 * A replay never executes anything: the file is data only.
 */
public final class TraceFiles {
    private TraceFiles() {}

    /** Writes the header and every event of {@code trace} (as many as it holds now). */
    public static void write(Trace trace, Path file) throws IOException {
        boolean gzip = file.getFileName() != null && file.getFileName().toString().endsWith(".gz");
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? fastGzip(raw) : new BufferedOutputStream(raw, 1 << 16)) {
            write(trace, out);
        }
    }

    /** Deflate level 1: about 3× faster than the default for a somewhat bigger file (saving must feel instant). */
    private static OutputStream fastGzip(OutputStream raw) throws IOException {
        return new GZIPOutputStream(raw, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** Writes plain (uncompressed) JSON Lines to {@code out}, which is flushed but not closed. */
    public static void write(Trace trace, OutputStream out) throws IOException {
        TraceWriter w = new TraceWriter(out);
        w.header(trace.header());
        long n = trace.size();
        for (long i = 0; i < n; i++) w.event(trace.get(i));
        w.flush();
    }

    /** Reads a trace file; the message of any failure names the file by its name and the line. */
    public static Trace read(Path file) throws TraceFileException {
        String name = TraceFileException.displayName(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name);
        } catch (NoSuchFileException e) {
            throw new TraceFileException(name, 0, "no such file", e);
        } catch (IOException e) {
            throw new TraceFileException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a trace from a stream (plain or gzip), naming it {@code name} in messages.
     * The stream is not closed.
     */
    public static Trace read(InputStream in, String name) throws TraceFileException {
        try {
            BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
            b.mark(2);
            int m1 = b.read();
            int m2 = b.read();
            b.reset();
            InputStream body = m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
            return new TraceReader(name, body).read();
        } catch (java.util.zip.ZipException e) {
            throw new TraceFileException(name, 0, "corrupt gzip data: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new TraceFileException(name, 0, "the file ends early (truncated gzip data)", e);
        } catch (IOException e) {
            throw new TraceFileException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a trace bundled as a class-path resource (the canned samples). */
    public static Trace readResource(String resource) throws TraceFileException {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream in = TraceFiles.class.getResourceAsStream(resource)) {
            if (in == null) throw new TraceFileException(name, 0, "no such resource " + resource);
            return read(in, name);
        } catch (IOException e) {
            throw new TraceFileException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }
}
