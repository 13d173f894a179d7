/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.hvdbg.cli.bench.Benchmark;
import io.hvdbg.cli.bench.BenchmarkContext;
import io.hvdbg.cli.bench.BenchmarkRegistry;
import io.hvdbg.core.Architecture;

/** {@code hvdbg bench [--list] [--arch A] [--quick] [NAME...]}. */
final class BenchCommand implements Command {
    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Options o = Options.parse("bench", args, Set.of("--list", "--quick"), Set.of("--arch", "--instructions"), Set.of(), Integer.MAX_VALUE);
        Architecture arch = o.has("--arch") ? Machines.parseArchitecture("bench", o.value("--arch")) : null;
        long instructions = o.has("--instructions") ? instructionCount(o.value("--instructions")) : 0;
        List<Benchmark> selected = new ArrayList<>();
        if (o.positionals().isEmpty()) {
            selected.addAll(BenchmarkRegistry.forArchitecture(arch));
        } else {
            for (String name : o.positionals()) {
                Benchmark b = BenchmarkRegistry.byName(name);
                if (b == null) {
                    throw CliException.usage("bench", "unknown benchmark '" + name + "' (known: "
                            + BenchmarkRegistry.all().stream().map(Benchmark::name).collect(Collectors.joining(", ")) + ")");
                }
                if (arch != null && b.architecture() != null && b.architecture() != arch) {
                    throw CliException.usage("bench", "benchmark '" + name + "' measures " + b.architecture().cliName()
                            + ", not " + arch.cliName());
                }
                selected.add(b);
            }
        }
        if (o.has("--list")) {
            for (Benchmark b : selected) {
                io.out().printf("%-20s %-8s %s%n", b.name(), b.architecture() == null ? "any" : b.architecture().cliName(),
                        b.description());
            }
            return ExitCodes.OK;
        }
        if (selected.isEmpty()) {
            throw CliException.unavailable("no benchmark for " + arch.cliName() + " is available yet in this build");
        }
        io.out().printf("hvdbg %s bench on %d CPUs, %s %s%n", Main.VERSION, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        try {
            BenchmarkRegistry.run(selected, new BenchmarkContext(io.out(), o.has("--quick"), instructions));
        } catch (UnsupportedOperationException e) {
            throw CliException.unavailable(GuestRunner.oneLine(e.getMessage(), "benchmark not available"));
        } catch (java.io.IOException e) {
            throw CliException.failure("benchmark failed: " + GuestRunner.oneLine(e.getMessage(), e.toString()));
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw CliException.failure("benchmark failed: " + e);
        }
        return ExitCodes.OK;
    }

    /** A guest instruction count: digits or a power-of-ten form such as {@code 2e7}, 1e3 to 1e12. */
    static long instructionCount(String v) throws CliException {
        long n = -1;
        try {
            n = new java.math.BigDecimal(v.trim()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            // not a whole number: reported below
        }
        if (n < 1_000 || n > 1_000_000_000_000L) {
            throw CliException.usage("bench", "option --instructions needs a whole number of guest instructions from 1e3 to 1e12 (e.g. 2e7), not '" + v + "'");
        }
        return n;
    }
}
