/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.hvdbg.core.Architecture;

/** The benchmarks {@code hvdbg bench} knows, in the order it runs them. */
public final class BenchmarkRegistry {
    private BenchmarkRegistry() {
    }

    /** Add a benchmark with one line here (keep names unique; list order is run order). */
    private static final List<Supplier<Benchmark>> BENCHMARKS = List.of(
            ExitTraceBenchmark::new,
            KvmTraceImportBenchmark::new,
            X86GuestMipsBenchmark::new,
            RiscvGuestMipsBenchmark::new,
            () -> new RspBenchmark(Architecture.RISCV64),
            () -> new RspBenchmark(Architecture.X86_64),
            LongRunBenchmark::new
    );

    /** All benchmarks, new instances. */
    public static List<Benchmark> all() {
        List<Benchmark> out = new ArrayList<>();
        for (Supplier<Benchmark> s : BENCHMARKS) {
            out.add(s.get());
        }
        return out;
    }

    /** Benchmarks of an architecture plus the architecture-neutral ones (all when arch is null). */
    public static List<Benchmark> forArchitecture(Architecture arch) {
        List<Benchmark> out = new ArrayList<>();
        for (Benchmark b : all()) {
            if (arch == null || b.architecture() == null || b.architecture() == arch) {
                out.add(b);
            }
        }
        return out;
    }

    /** The benchmark with this name, or null. */
    public static Benchmark byName(String name) {
        for (Benchmark b : all()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Runs benchmarks one after another; returns every figure they reported. */
    public static List<Measurement> run(List<Benchmark> benchmarks, BenchmarkContext context) throws Exception {
        for (Benchmark b : benchmarks) {
            context.begin(b);
            b.run(context);
        }
        return context.measurements();
    }
}
