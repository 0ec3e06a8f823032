package dev.januslab.scheduler.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the runtime counted for one run (jrt_stat), read once the run has ended.
 *
 * @param runNs          run start to run end, as the runtime measured it (virtual in deterministic mode)
 * @param wallNs         run start to run end as Java saw it (jvm_start to the end of jrt_wait)
 * @param events         events the runtime recorded
 * @param dropped        events lost to full rings (always 0 in deterministic mode)
 * @param eventsDrained  records the event pump moved into Java
 */
public record RunStats(long tasks, long switches, long steals, long peakLiveTasks, long events, long dropped,
                       long runNs, long wallNs, long eventsDrained) {

    /** The process's peak resident set (VmHWM) in MiB, or -1 where /proc is not available. */
    public static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
