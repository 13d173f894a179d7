/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ExitTraceTest {
    static final ExitReason IO = ExitReasons.register(ExitSource.UNKNOWN, 0x7101, "TEST_IO", ExitCategory.IO);
    static final ExitReason MSR = ExitReasons.register(ExitSource.UNKNOWN, 0x7102, "TEST_MSR", ExitCategory.MSR);

    private static VmExit randomExit(Random r, long seq, long time) {
        long q = r.nextInt(4) == 0 ? 0 : r.nextLong() >>> r.nextInt(64);
        long c = r.nextBoolean() ? -1L : r.nextInt(1000);
        // Half the exits come from a few hot sites (the site table), the rest from anywhere.
        long pc = switch (r.nextInt(4)) {
            case 0, 1 -> 0xffffffff81000000L + 0x40L * r.nextInt(12);
            case 2 -> 0xffffffff81000000L + r.nextInt(1 << 20);
            default -> r.nextLong();
        };
        // info2 sometimes near the PC (SVM's next RIP), sometimes anything.
        long i2 = switch (r.nextInt(3)) {
            case 0 -> r.nextLong();
            case 1 -> pc + r.nextInt(16) - 2;
            default -> 0;
        };
        int vcpu = r.nextInt(8) == 0 ? r.nextInt(1 << 16) : r.nextInt(16);
        return new VmExit(seq, vcpu, time, r.nextInt(1 << 20), r.nextBoolean() ? IO : MSR, pc, q, i2, c);
    }

    @Test
    void roundTripsEveryFieldIncludingExtremes() {
        ExitTrace trace = new ExitTrace(1 << 20);
        Random r = new Random(42);
        List<VmExit> written = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < 5000; i++) {
            time += r.nextInt(100_000) - (i % 7 == 0 ? 50_000 : 0); // SMP traces interleave times
            VmExit e = randomExit(r, i, time);
            assertEquals(i, trace.record(e));
            written.add(e);
        }
        VmExit extreme = new VmExit(5000, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, IO, -1L, -1L, Long.MIN_VALUE, -1L);
        trace.record(extreme);
        written.add(extreme);
        List<VmExit> read = new ArrayList<>();
        trace.read(0, Long.MAX_VALUE, (s, v, rid, t, d, pc, q, i2, c) -> {
            read.add(new VmExit(s, v, t, d, ExitReasons.byId(rid), pc, q, i2, c));
            return true;
        });
        assertEquals(written, read);
        assertEquals(written.get(1234), trace.get(1234));
        assertEquals(written.subList(4996, 5001), trace.last(5));
    }

    @Test
    void dropsWholeOldestBlocksWhenFullAndKeepsTheNewest() {
        ExitTrace trace = new ExitTrace(ExitTrace.MIN_CAPACITY);
        Random r = new Random(1);
        int n = 200_000;
        List<VmExit> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VmExit e = randomExit(r, i, i * 1000L);
            trace.record(e);
            written.add(e);
        }
        assertEquals(n, trace.nextSeq());
        assertTrue(trace.firstSeq() > 0, "old records were dropped");
        assertEquals(0, trace.firstSeq() % ExitTrace.BLOCK_SIZE, "dropped by whole blocks");
        assertTrue(trace.bytesUsed() <= trace.capacityBytes());
        assertNull(trace.get(0));
        long first = trace.firstSeq();
        List<VmExit> held = new ArrayList<>();
        trace.read(0, Long.MAX_VALUE, (s, v, rid, t, d, pc, q, i2, c) -> {
            held.add(new VmExit(s, v, t, d, ExitReasons.byId(rid), pc, q, i2, c));
            return true;
        });
        assertEquals(written.subList((int) first, n), held);
    }

    @Test
    void realisticExitMixTakesAtMostSixteenBytesPerExit() {
        // A guest looping over serial output, timer MSR writes and CPUID: the common case.
        ExitTrace trace = new ExitTrace(64L << 20);
        Random r = new Random(7);
        long time = 0;
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            time += 200 + r.nextInt(5000);
            int kind = r.nextInt(10);
            if (kind < 6) {
                trace.record(i & 1, IO.id(), time, 800 + r.nextInt(400), 0xffffffff81234560L + r.nextInt(64),
                        0x3f80000L, 0, 0);
            } else {
                trace.record(i & 1, MSR.id(), time, 500 + r.nextInt(300), 0xffffffff81100000L + r.nextInt(4096),
                        0, 0, 0x6e0);
            }
        }
        double perExit = (double) trace.bytesUsed() / trace.size();
        assertTrue(perExit <= 16, "bytes per exit: " + perExit);
    }

    @Test
    void readersSeeConsistentRecordsWhileTheWriterWraps() throws Exception {
        ExitTrace trace = new ExitTrace(ExitTrace.MIN_CAPACITY);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                long[] expect = {-1};
                trace.read(0, Long.MAX_VALUE, (s, v, rid, t, d, pc, q, i2, c) -> {
                    // The writer stores seq-derived values, so each record checks itself.
                    if (t != s * 3 || pc != s * 5 || q != s || v != (int) (s & 0xFF)) {
                        problem.compareAndSet(null, "record " + s + " corrupt: t=" + t + " pc=" + pc);
                    }
                    // A slow reader may lose dropped blocks (a forward jump), never see a record twice.
                    if (expect[0] >= 0 && s < expect[0]) {
                        problem.compareAndSet(null, "went back: expected " + expect[0] + " got " + s);
                    }
                    expect[0] = s + 1;
                    return true;
                });
            }
        });
        reader.start();
        for (long s = 0; s < 2_000_000; s++) {
            trace.record((int) (s & 0xFF), IO.id(), s * 3, 1, s * 5, s, 0, 0);
        }
        done.set(true);
        reader.join();
        assertNull(problem.get());
    }

    @Test
    void clearForgetsHeldRecordsButNotSequenceNumbers() {
        ExitTrace trace = new ExitTrace(1 << 16);
        for (int i = 0; i < 10; i++) {
            trace.record(0, IO.id(), i, 0, i, 0, 0, 0);
        }
        trace.clear();
        assertEquals(0, trace.size());
        long next = trace.record(0, IO.id(), 99, 0, 99, 0, 0, 0);
        assertTrue(next >= 10);
        assertEquals(99, trace.get(next).time());
    }
}
