/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hvdbg.cli.bench.BenchmarkContext;
import io.hvdbg.cli.bench.BenchmarkRegistry;
import io.hvdbg.cli.bench.KvmTraceImportBenchmark;
import io.hvdbg.cli.bench.Measurement;

/** The kvm-trace-import benchmark runs and reports its figures (not its speed). */
class KvmTraceImportBenchmarkTest {
    @Test
    void quickRunReportsThroughputAndHeap() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Measurement> m = BenchmarkRegistry.run(List.of(new KvmTraceImportBenchmark()),
                new BenchmarkContext(new PrintStream(buf, true), true));
        Set<String> metrics = m.stream().map(Measurement::metric).collect(Collectors.toSet());
        assertEquals(Set.of("stats: lines/s", "stats: input MB/s", "stats: exits/s", "progress callbacks",
                "heap in use before import", "peak heap in use during import", "json export: exits/s",
                "json export: input MB/s"), metrics);
        for (Measurement x : m) {
            assertTrue(x.value() > 0, x.toString());
        }
        assertTrue(buf.toString().contains("4 MiB"), buf.toString());
        assertTrue(BenchmarkRegistry.byName("kvm-trace-import") != null);
    }
}
