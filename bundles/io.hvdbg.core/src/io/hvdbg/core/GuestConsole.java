/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The guest's console: what the guest writes to its serial port or SBI console goes to the
 * output listeners (stdout, the debugger, the IDE console); host input is queued for the
 * guest's UART to read.
 */
public final class GuestConsole {
    private final CopyOnWriteArrayList<IntConsumer> outputs = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Integer> input = new ArrayDeque<>();
    private final StringBuilder transcript = new StringBuilder();
    private final int transcriptLimit;
    private Runnable inputListener = () -> { };

    public GuestConsole(int transcriptLimit) {
        this.transcriptLimit = transcriptLimit;
    }

    /** Receives every byte the guest writes. */
    public void addOutputListener(IntConsumer listener) {
        outputs.add(listener);
    }

    public void removeOutputListener(IntConsumer listener) {
        outputs.remove(listener);
    }

    /** Called by console devices for each byte the guest writes. */
    public void write(int b) {
        synchronized (transcript) {
            if (transcript.length() < transcriptLimit) {
                transcript.append((char) (b & 0xFF));
            }
        }
        for (IntConsumer o : outputs) {
            o.accept(b & 0xFF);
        }
    }

    /** The first bytes (up to the limit) the guest wrote, as text - for tests and summaries. */
    public String transcript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    /** Queues host input for the guest. */
    public void offerInput(byte[] bytes) {
        Runnable l;
        synchronized (input) {
            for (byte b : bytes) {
                input.add(b & 0xFF);
            }
            l = inputListener;
        }
        l.run();
    }

    /** Next input byte, or -1 if none is queued. */
    public int pollInput() {
        synchronized (input) {
            Integer b = input.poll();
            return b == null ? -1 : b;
        }
    }

    public boolean hasInput() {
        synchronized (input) {
            return !input.isEmpty();
        }
    }

    /** Called (on the offering thread) whenever input arrives, so a device can raise its interrupt. */
    public void setInputListener(Runnable listener) {
        synchronized (input) {
            inputListener = listener == null ? () -> { } : listener;
        }
    }
}
