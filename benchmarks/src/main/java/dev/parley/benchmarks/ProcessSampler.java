package dev.parley.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a Linux process's resident memory and CPU time from {@code /proc}. */
final class ProcessSampler {
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private final String pid;

    ProcessSampler(String pid) {
        this.pid = pid;
    }

    static ProcessSampler self() {
        return new ProcessSampler(String.valueOf(ProcessHandle.current().pid()));
    }

    /** Resident set size in bytes, or -1 when the process is gone. */
    long rssBytes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", pid, "status"));
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time in milliseconds, or -1 when the process is gone. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's load averages as {@code /proc/loadavg} gives them; "unknown" when unreadable. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The whole machine's CPU ticks since boot from {@code /proc/stat}: {busy, total}, where busy
     * is everything but idle and iowait; {0, 0} when unreadable.
     */
    static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] fields = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * The Java heap in use of the JVM behind the pid (survivor, eden and old spaces, as
     * {@code jstat -gc} reports them: right after {@link #requestGc} that is the live heap), or
     * -1 when jstat cannot tell.
     */
    long heapUsedBytes() {
        try {
            Process jstat = new ProcessBuilder("jstat", "-gc", pid).redirectErrorStream(true).start();
            String output = new String(jstat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (jstat.waitFor() != 0) {
                return -1;
            }
            return heapUsedBytes(output);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** S0U + S1U + EU + OU of {@code jstat -gc}'s output (KB, as decimals), in bytes; -1 when absent. */
    static long heapUsedBytes(String jstatGc) {
        String[] lines = jstatGc.trim().split("\\R");
        if (lines.length < 2) {
            return -1;
        }
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kb = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int index = names.indexOf(column);
            if (index < 0 || index >= values.length) {
                return -1;
            }
            try {
                kb += Double.parseDouble(values[index]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return (long) (kb * 1024);
    }

    /**
     * The machine's CPUs as {@code /proc/stat} counts them ({@code cpu0}, {@code cpu1}, ...): all of
     * them, where {@code availableProcessors} counts only those this process may run on (one, under
     * {@code taskset -c 1}); 1 when unreadable.
     */
    static int machineCpus() {
        try {
            long count = Files.readAllLines(Path.of("/proc/stat")).stream()
                    .filter(line -> line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3)))
                    .count();
            return (int) Math.max(1, count);
        } catch (IOException e) {
            return 1;
        }
    }

    /** Asks the JVM behind the pid for a full GC (so that RSS reflects live data). */
    void requestGc() {
        try {
            new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            System.err.println("cannot run jcmd GC.run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
