/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import io.hvdbg.core.Architecture;

/**
 * One benchmark of {@code hvdbg bench}. Implementations report their figures through the
 * {@link BenchmarkContext}; add them to {@link BenchmarkRegistry}. Benchmarks measure, they do not
 * assert: goals are stated in the report and in docs/benchmarks.md, never as timed tests.
 */
public interface Benchmark {
    /** Short unique name used on the command line, e.g. {@code exit-trace}. */
    String name();

    /** One line saying what is measured. */
    String description();

    /** The architecture measured, or null if the benchmark is architecture-neutral. */
    default Architecture architecture() {
        return null;
    }

    /** Runs the benchmark; {@link BenchmarkContext#quick()} asks for a short run (smoke tests). */
    void run(BenchmarkContext context) throws Exception;
}
