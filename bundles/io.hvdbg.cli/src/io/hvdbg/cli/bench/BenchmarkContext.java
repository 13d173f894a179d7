/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a running benchmark reports to: prints each figure as it comes and keeps them for callers. */
public final class BenchmarkContext {
    private final PrintStream out;
    private final boolean quick;
    private final long instructions;
    private final List<Measurement> measurements = new ArrayList<>();
    private String benchmark = "";

    public BenchmarkContext(PrintStream out, boolean quick) {
        this(out, quick, 0);
    }

    /** @param instructions guest instruction budget asked for with {@code --instructions}, 0 for each benchmark's own */
    public BenchmarkContext(PrintStream out, boolean quick, long instructions) {
        this.out = out;
        this.quick = quick;
        this.instructions = instructions;
    }

    /** The guest instruction budget asked for on the command line, or {@code fallback} when none was. */
    public long instructions(long fallback) {
        return instructions > 0 ? instructions : fallback;
    }

    /** True for a short run (e.g. in tests): fewer iterations, same code paths. */
    public boolean quick() {
        return quick;
    }

    void begin(Benchmark b) {
        benchmark = b.name();
        out.println("== " + b.name() + ": " + b.description() + " ==");
        out.flush();
    }

    /** Reports one figure. */
    public void report(String metric, double value, String unit) {
        measurements.add(new Measurement(benchmark, metric, value, unit));
        out.printf(Locale.ROOT, "  %-52s %16s %s%n", metric, format(value), unit);
        out.flush();
    }

    /** Prints a line of explanation (workload, goal, caveat). */
    public void note(String text) {
        out.println("  " + text);
        out.flush();
    }

    public List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    /** Figures as people read them: grouped digits for large values, two decimals for small ones. */
    static String format(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
