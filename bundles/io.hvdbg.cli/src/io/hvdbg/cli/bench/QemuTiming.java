/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times the same benchmark guest under QEMU TCG: wall seconds and the CPU seconds of the QEMU
 * process (all its threads), each the best of some runs, minus the same for a run that only boots
 * and exits, so the figures are the guest's own work. CPU time is what stays comparable on a
 * machine shared with other work; bash's {@code times} reports it for the finished child.
 */
final class QemuTiming {
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");

    /** Guest work under QEMU: wall seconds and CPU seconds, never below a microsecond. */
    record Work(double seconds, double cpuSeconds) {
    }

    private QemuTiming() {
    }

    /** {@code binary} on PATH, or null when QEMU is not installed. */
    static String find(String binary) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(dir, binary);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /**
     * Best of {@code runs} for the full command minus best of {@code runs} for the empty one.
     *
     * @param passStatus the QEMU exit status the guest ends with when it passes
     */
    static Work measure(List<String> full, List<String> empty, int passStatus, int runs) throws IOException, InterruptedException {
        double[] f = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] e = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int i = 0; i < runs; i++) {
            keepBest(f, run(full, passStatus));
            keepBest(e, run(empty, passStatus));
        }
        return new Work(Math.max(1e-6, f[0] - e[0]), Math.max(1e-6, f[1] - e[1]));
    }

    private static void keepBest(double[] best, double[] run) {
        best[0] = Math.min(best[0], run[0]);
        best[1] = Math.min(best[1], run[1]);
    }

    /** {wall seconds, CPU seconds} of one QEMU run. */
    private static double[] run(List<String> command, int passStatus) throws IOException, InterruptedException {
        // bash runs QEMU, then prints its own and its children's user/system times.
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "\"$@\" >/dev/null 2>&1 </dev/null; s=$?; times; exit $s", "qemu"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        Supplier<String> out = readAll(p);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within 300 s");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != passStatus) {
            throw new IOException("the benchmark guest failed under " + command.get(0) + " (status " + p.exitValue() + ")");
        }
        Matcher m = TIMES.matcher(out.get());
        double cpu = wall; // no 'times' output: fall back to wall time
        for (int line = 0; m.find(); line++) {
            if (line == 1) { // second line: the children's user and system time
                cpu = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                        + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
            }
        }
        return new double[] {wall, cpu};
    }

    private static Supplier<String> readAll(Process p) {
        StringBuilder text = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                text.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process ended; what was read is all there is
            }
        }, "qemu-times");
        reader.setDaemon(true);
        reader.start();
        return () -> {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text.toString();
        };
    }
}
