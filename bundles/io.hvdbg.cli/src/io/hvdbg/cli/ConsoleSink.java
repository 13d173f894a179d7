/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntConsumer;

/**
 * Guest console bytes to a host stream: buffered, flushed at every newline and, for prompts
 * without one, by a daemon timer, so a chatty guest costs no system call per byte.
 */
final class ConsoleSink implements IntConsumer, AutoCloseable {
    private static final long FLUSH_INTERVAL_MS = 50;

    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int n;
    private int last = '\n';
    private volatile boolean closed;
    private IOException failure;
    private final Thread flusher;

    ConsoleSink(OutputStream out) {
        this.out = out;
        this.flusher = new Thread(this::flushPeriodically, "hvdbg-console-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public synchronized void accept(int b) {
        if (n == buf.length) {
            flushLocked();
        }
        buf[n++] = (byte) b;
        last = b;
        if (b == '\n') {
            flushLocked();
        }
    }

    /** True if nothing was written yet or the last byte was a newline. */
    synchronized boolean atLineStart() {
        return last == '\n';
    }

    synchronized void flush() {
        flushLocked();
    }

    private void flushLocked() {
        if (n == 0 || failure != null) {
            n = 0;
            return;
        }
        try {
            out.write(buf, 0, n);
            out.flush();
        } catch (IOException e) {
            failure = e; // stdout closed (e.g. piped into head): keep the VM running, drop output
        }
        n = 0;
    }

    private void flushPeriodically() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        flush();
    }
}
