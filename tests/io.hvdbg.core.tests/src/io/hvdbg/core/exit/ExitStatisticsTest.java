/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ExitStatisticsTest {
    static final ExitReason A = ExitReasons.register(ExitSource.UNKNOWN, 0x7301, "STAT_A", ExitCategory.IO);
    static final ExitReason B = ExitReasons.register(ExitSource.UNKNOWN, 0x7302, "STAT_B", ExitCategory.MSR);

    @Test
    void reportsPerfKvmStatColumnsPerVmAndPerVcpu() {
        ExitStatistics s = new ExitStatistics();
        s.count(0, A.id(), 100);
        s.count(0, A.id(), 300);
        s.count(1, A.id(), 200);
        s.count(1, B.id(), 1400);
        List<ExitStatistics.Row> all = s.report(-1);
        assertEquals(2, all.size());
        ExitStatistics.Row a = all.get(0);
        assertEquals(A, a.reason(), "most samples first");
        assertEquals(3, a.samples());
        assertEquals(75.0, a.samplesPercent(), 1e-9);
        assertEquals(30.0, a.timePercent(), 1e-9);
        assertEquals(100, a.minNs());
        assertEquals(300, a.maxNs());
        assertEquals(200.0, a.averageNs(), 1e-9);
        assertEquals(1, s.report(0).size());
        assertEquals(2, s.total(1));
        String table = s.format(-1);
        assertTrue(table.contains("VM-EXIT") && table.contains("STAT_A") && table.contains("Total Samples:4"), table);
    }

    @Test
    void buildsFromATrace() {
        ExitTrace t = new ExitTrace(1 << 16);
        t.record(0, A.id(), 1, 10, 0, 0, 0, 0);
        t.record(2, B.id(), 2, 20, 0, 0, 0, 0);
        ExitStatistics s = ExitStatistics.of(t);
        assertEquals(1, s.count(2, B));
        assertEquals(2, s.total(-1));
    }
}
