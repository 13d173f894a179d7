/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;

/**
 * How compact and fast the exit trace is: bytes per recorded exit and records per second
 * written and read, for the in-memory ring ({@link ExitTrace}) and the {@code .hvtrace} file
 * ({@link TraceFile}), with the realistic exit mixes of {@link ExitMix}. Goal (issue 2): at most
 * 16 bytes per recorded exit in the ring.
 */
public final class ExitTraceBenchmark implements Benchmark {
    /** The compactness goal of the ring, bytes per recorded exit. */
    public static final double GOAL_BYTES_PER_EXIT = 16.0;

    @Override
    public String name() {
        return "exit-trace";
    }

    @Override
    public String description() {
        return "exit-trace compactness and throughput (ring and .hvtrace file) with realistic exit mixes";
    }

    @Override
    public void run(BenchmarkContext ctx) throws IOException {
        int n = ctx.quick() ? 20_000 : 1_000_000;
        int reps = ctx.quick() ? 1 : 5;
        ctx.note(n + " exits per mix, 2 vCPUs, best of " + reps + " timed runs after a warm-up");
        double worst = 0;
        for (ExitMix mix : ExitMix.all()) {
            ExitMix.Records r = mix.generate(n, 0x5eed);
            ExitTrace ring = new ExitTrace(Math.max(ExitTrace.MIN_CAPACITY, (long) n * 32));

            fill(ring, r, null); // warm-up
            long best = Long.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                ring.clear();
                long t0 = System.nanoTime();
                fill(ring, r, null);
                best = Math.min(best, System.nanoTime() - t0);
            }
            if (ring.size() != n) {
                throw new IllegalStateException("ring dropped records: holds " + ring.size() + " of " + n);
            }
            double bytesPerExit = (double) ring.bytesUsed() / ring.size();
            worst = Math.max(worst, bytesPerExit);
            ctx.report(mix.name() + ": ring bytes/exit", bytesPerExit, "B");
            ctx.report(mix.name() + ": ring records written/s", n * 1e9 / best, "rec/s");

            long[] sink = new long[1];
            readAll(ring, sink); // warm-up
            best = Long.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                long count = readAll(ring, sink);
                best = Math.min(best, System.nanoTime() - t0);
                if (count != n) {
                    throw new IllegalStateException("read " + count + " of " + n + " records");
                }
            }
            ctx.report(mix.name() + ": ring records read/s", n * 1e9 / best, "rec/s");

            fileFigures(ctx, mix, r, n, reps);
            if (sink[0] == 42) {
                ctx.note(""); // keeps the read loop's work observable
            }
        }
        ctx.note(String.format(java.util.Locale.ROOT, "goal: <= %.0f bytes per recorded exit in the ring: %s (worst mix %.2f B)",
                GOAL_BYTES_PER_EXIT, worst <= GOAL_BYTES_PER_EXIT ? "met" : "NOT MET", worst));
    }

    private static void fill(ExitTrace ring, ExitMix.Records r, int[] reasonMap) {
        int[] v = r.vcpu();
        int[] id = r.reasonId();
        long[] t = r.time();
        long[] d = r.duration();
        long[] pc = r.pc();
        long[] q = r.qualification();
        long[] i2 = r.info2();
        long[] c = r.context();
        for (int i = 0; i < r.count(); i++) {
            ring.record(v[i], reasonMap == null ? id[i] : reasonMap[id[i]], t[i], d[i], pc[i], q[i], i2[i], c[i]);
        }
    }

    private static long readAll(ExitTrace ring, long[] sink) {
        long[] acc = {0, 0};
        ring.read(0, Long.MAX_VALUE, (seq, vcpu, reason, time, dur, pc, q, i2, ctx) -> {
            acc[0] += time ^ pc ^ q ^ i2 ^ ctx ^ dur ^ reason ^ vcpu;
            acc[1]++;
            return true;
        });
        sink[0] ^= acc[0];
        return acc[1];
    }

    /** The same exits through the .hvtrace file: file bytes per exit, records/s written and read. */
    private static void fileFigures(BenchmarkContext ctx, ExitMix mix, ExitMix.Records r, int n, int reps)
            throws IOException {
        // Files name their reasons, so the ids must be registered; bench reasons get their own
        // source and names and never shadow the architectures' registrations.
        int[] map = new int[4096];
        for (ExitMix.Kind k : mix.kinds()) {
            int registered = ExitReasons.register(ExitSource.UNKNOWN, 0xbe00_0000L + k.reasonId(),
                    "bench:" + k.label(), ExitCategory.OTHER).id();
            map[k.reasonId()] = registered;
        }
        ExitTrace ring = new ExitTrace(Math.max(ExitTrace.MIN_CAPACITY, (long) n * 32));
        fill(ring, r, map);
        Path file = Files.createTempFile("hvdbg-bench", TraceFile.EXTENSION);
        try {
            Map<String, String> meta = Map.of("producer", "hvdbg bench exit-trace", "mix", mix.name());
            TraceFile.write(ring, meta, file); // warm-up
            long best = Long.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                TraceFile.write(ring, meta, file);
                best = Math.min(best, System.nanoTime() - t0);
            }
            long size = Files.size(file);
            ctx.report(mix.name() + ": file bytes/exit (incl. header)", (double) size / n, "B");
            ctx.report(mix.name() + ": file records written/s", n * 1e9 / best, "rec/s");
            long[] count = new long[1];
            best = Long.MAX_VALUE;
            for (int i = 0; i <= reps; i++) {
                count[0] = 0;
                long t0 = System.nanoTime();
                TraceFile.read(file, (seq, vcpu, reason, time, dur, pc, q, i2, c) -> {
                    count[0]++;
                    return true;
                });
                long dt = System.nanoTime() - t0;
                if (i > 0) {
                    best = Math.min(best, dt);
                }
            }
            if (count[0] != n) {
                throw new IllegalStateException("file held " + count[0] + " of " + n + " records");
            }
            ctx.report(mix.name() + ": file records read/s", n * 1e9 / best, "rec/s");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
