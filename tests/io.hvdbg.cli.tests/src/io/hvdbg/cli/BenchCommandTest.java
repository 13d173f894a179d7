/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hvdbg.cli.bench.Benchmark;
import io.hvdbg.cli.bench.BenchmarkContext;
import io.hvdbg.cli.bench.BenchmarkRegistry;
import io.hvdbg.cli.bench.ExitMix;
import io.hvdbg.cli.bench.ExitTraceBenchmark;
import io.hvdbg.cli.bench.Measurement;

/** The bench framework and the exit-trace benchmark (its figures, not its speed). */
class BenchCommandTest {
    @Test
    void listNamesEveryRegisteredBenchmarkOnce() {
        CliHarness r = CliHarness.main("bench", "--list");
        assertEquals(0, r.status(), r.err());
        Set<String> names = new HashSet<>();
        for (Benchmark b : BenchmarkRegistry.all()) {
            assertTrue(names.add(b.name()), "duplicate benchmark name " + b.name());
            assertTrue(r.out().contains(b.name()), r.out());
        }
        assertTrue(names.contains("exit-trace"));
    }

    @Test
    void exitTraceBenchmarkReportsCompactnessAndThroughputOfEveryMix() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Measurement> m = BenchmarkRegistry.run(List.of(new ExitTraceBenchmark()),
                new BenchmarkContext(new PrintStream(buf, true), true));
        String out = buf.toString();
        for (ExitMix mix : ExitMix.all()) {
            for (String metric : new String[] {"ring bytes/exit", "ring records written/s", "ring records read/s",
                    "file bytes/exit (incl. header)", "file records written/s", "file records read/s"}) {
                Measurement found = m.stream().filter(x -> x.metric().equals(mix.name() + ": " + metric)).findFirst()
                        .orElseThrow(() -> new AssertionError("missing " + mix.name() + ": " + metric + "\n" + out));
                assertTrue(found.value() > 0, found.toString());
            }
        }
        // A varint record of one exit is never below 4 bytes nor above its worst-case bound.
        m.stream().filter(x -> x.metric().endsWith("ring bytes/exit"))
                .forEach(x -> assertTrue(x.value() >= 4 && x.value() <= 73, x.toString()));
        assertTrue(out.contains("goal: <= 16 bytes per recorded exit in the ring:"), out);
    }

    @Test
    void mixesAreDeterministicAndInterleaveTwoVcpusInTimeOrder() {
        ExitMix.Records a = ExitMix.riscv().generate(5000, 1);
        ExitMix.Records b = ExitMix.riscv().generate(5000, 1);
        assertEquals(java.util.Arrays.hashCode(a.time()), java.util.Arrays.hashCode(b.time()));
        long[] last = {-1, -1};
        boolean both = false;
        for (int i = 0; i < a.count(); i++) {
            int v = a.vcpu()[i];
            assertTrue(a.time()[i] > last[v], "per-vCPU time must increase");
            last[v] = a.time()[i];
            both |= v == 1;
        }
        assertTrue(both);
    }

    @Test
    void benchQuickRunsFromTheCommandLine() {
        CliHarness r = CliHarness.main("bench", "--quick", "exit-trace");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("== exit-trace:"), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void guestMipsBenchmarksRunBothRealCoresInQuickMode() {
        CliHarness r = CliHarness.main("bench", "--quick", "x86_64-guest-mips", "riscv64-guest-mips");
        assertEquals(0, r.status(), r.err());
        for (String arch : new String[] {"x86_64", "riscv64"}) {
            assertTrue(r.out().contains("== " + arch + "-guest-mips:"), r.out());
        }
        assertTrue(r.out().lines().filter(l -> l.contains("guest MIPS per CPU second")).count() == 2, r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void longRunPrintsTheHeapSeriesTheVerdictAndTheTraceRingOfBothArchitectures() {
        CliHarness r = CliHarness.main("bench", "--instructions", "1e7", "long-run");
        assertEquals(0, r.status(), r.err());
        for (String arch : new String[] {"x86_64", "riscv64"}) {
            String series = r.out().lines().filter(l -> l.contains(arch + ": heap used after GC, MiB, at each tenth"))
                    .findFirst().orElseThrow(() -> new AssertionError("no heap series for " + arch + "\n" + r.out()));
            String[] samples = series.substring(series.indexOf("):") + 2).trim().split(" +");
            assertEquals(10, samples.length, series);
            for (String s : samples) {
                assertTrue(Double.parseDouble(s) > 0, series);
            }
            assertTrue(r.out().lines().anyMatch(l -> l.matches(" *" + arch + ": verdict: (FLAT|GROWING) .*")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.matches(" *" + arch + ": [0-9,]+ guest instructions in .*")), r.out());
            for (String metric : new String[] {"trace ring capacity", "trace ring exits held",
                    "trace ring exits overwritten (dropped oldest)", "exits recorded"}) {
                assertTrue(r.out().contains(arch + " " + metric), "missing " + arch + " " + metric + "\n" + r.out());
            }
            assertTrue(r.out().contains(arch + ": caches at each tenth: code pages"), r.out());
        }
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void instructionsOptionNamesABadCount() {
        for (String bad : new String[] {"lots", "1.5", "-3", "1e13", "12"}) {
            CliHarness r = CliHarness.main("bench", "--instructions", bad, "long-run");
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().startsWith("hvdbg: option --instructions needs a whole number of guest instructions"), r.err());
            assertTrue(r.err().contains("'" + bad + "'"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertEquals(20_000_000L, assertDoesNotThrowCount("2e7"));
        assertEquals(1_000_000_000L, assertDoesNotThrowCount("1000000000"));
    }

    private static long assertDoesNotThrowCount(String v) {
        try {
            return BenchCommand.instructionCount(v);
        } catch (CliException e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
