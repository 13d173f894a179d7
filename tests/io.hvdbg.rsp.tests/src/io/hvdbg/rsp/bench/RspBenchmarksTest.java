/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.rsp.testarch.TestMachine;

/** The benchmarks run their workloads correctly in quick mode (figures are not asserted: timed goals live in the report). */
class RspBenchmarksTest {
    private static TestMachine machine() {
        TestMachine vm = new TestMachine(1);
        // An endless loop of nops: jmp back over them.
        byte[] loop = {(byte) 0x90, (byte) 0x90, (byte) 0xeb, (byte) 0xfc};
        vm.load(0x1000, loop);
        vm.testVcpu(0).setPc(0x1000);
        return vm;
    }

    @Test
    void quickRunReportsEveryFigureWithoutExternalTools() throws Exception {
        List<String> metrics = new ArrayList<>();
        RspBenchmarks.run(RspBenchmarksTest::machine, null, List.of(), null, true, (m, v, u) -> {
            assertTrue(v > 0 && Double.isFinite(v), m + " = " + v);
            metrics.add(m);
        });
        assertEquals(List.of("stepi round trips, hvdbg stub, raw client", "exit records fetched over qHvdbg.exits",
                "time to fetch 50000 exit records", "exit records on the wire"), metrics);
    }
}
