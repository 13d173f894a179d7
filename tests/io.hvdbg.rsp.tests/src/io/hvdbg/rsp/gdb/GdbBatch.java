/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.gdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real gdb in batch mode ({@code -batch -nx -ex …}) and returns everything it printed.
 * A missing gdb fails the test with the package to install: these tests are acceptance
 * criteria and must never be skipped silently.
 */
final class GdbBatch {
    private static final long TIMEOUT_SECONDS = 60;

    private GdbBatch() {
    }

    /** Runs {@code gdb} with the commands, each as one {@code -ex}; returns stdout and stderr together. */
    static String run(String gdb, List<String> commands) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(gdb, "-batch", "-nx", "-ex", "set pagination off", "-ex",
                "set confirm off", "-ex", "set width 0"));
        for (String c : commands) {
            argv.add("-ex");
            argv.add(c);
        }
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(gdb + " is not installed; these tests need it (Debian: apt-get install " + gdb
                    + "): " + e.getMessage());
        }
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(reading gdb's output failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(gdb + " did not finish within " + TIMEOUT_SECONDS + " s; output so far:\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        reader.join(5000);
        return out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    }
}
