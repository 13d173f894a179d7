/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.client.RemoteErrorException;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.StopReply;
import io.hvdbg.rsp.ext.ExitBreakpointInfo;
import io.hvdbg.rsp.ext.ExitStatRow;
import io.hvdbg.rsp.ext.TlbSnapshot;
import io.hvdbg.rsp.ext.VcpuSnapshot;
import io.hvdbg.rsp.testarch.TestMachine;
import io.hvdbg.rsp.testarch.TestRegisters;

/** The monitor commands (qRcmd) and the qHvdbg bulk packets, through the client library. */
class MonitorAndExtensionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private StubFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private RspClient start(int vcpus) throws IOException {
        f = new StubFixture(vcpus);
        return f.connect();
    }

    @Test
    void helpListsTheCommandsOfTheIssue() throws IOException {
        RspClient c = start(1);
        String help = c.monitor("help");
        for (String cmd : List.of("help", "exits [N]", "stats", "break-exit REASON [CONDITION]", "exit-breaks",
                "delete-exit ID", "cpuid [LEAF [SUBLEAF]]", "tlb [VCPU]", "vcpu", "isa")) {
            assertTrue(help.contains(cmd), cmd + " in\n" + help);
        }
        assertTrue(c.monitor("help break-exit").startsWith("usage: monitor break-exit"));
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.monitor("frobnicate"));
        assertTrue(e.getMessage().contains("unknown monitor command 'frobnicate'"), e.getMessage());
    }

    @Test
    void exitBreakpointStopsBeforeTheExitIsHandledAndCarriesTheExit() throws IOException {
        RspClient c = start(1);
        String set = c.monitor("break-exit CPUID leaf=3");
        assertTrue(set.startsWith("Exit breakpoint 1: "), set);
        c.resume();
        StopReply s = c.awaitStop(WAIT);
        assertEquals(StopReply.Kind.SIGNAL, s.kind());
        assertEquals(StopReply.SIGTRAP, s.code());
        assertEquals(1, s.thread());
        assertNotNull(s.exit(), "the stop reply carries the exit: " + s);
        assertEquals("TEST_CPUID", s.exit().reason());
        assertEquals("CPUID", s.exit().category());
        assertEquals(1, s.exit().breakpointId());
        assertEquals("CPUID leaf 0x3", s.exit().description());
        assertEquals(StubFixture.CPUID, s.register(TestRegisters.RIP), "stopped at the exiting instruction");
        assertEquals(3, f.vm.testVcpu(0).reg(TestRegisters.RAX), "the handler has not run (it would zero rax)");
        String breaks = c.monitor("exit-breaks");
        assertTrue(breaks.contains("leaf=3") && breaks.matches("(?s).*\\b1\\s+keep\\s+y\\s+1\\b.*"), breaks);
        String exits = c.monitor("exits 3");
        assertTrue(exits.contains("TEST_CPUID") && exits.contains("CPUID leaf 0x3"), exits);
        String stats = c.monitor("stats");
        assertTrue(stats.contains("TEST_CPUID"), stats);
        String vcpu = c.monitor("vcpu 0");
        assertTrue(vcpu.contains("last exit:") && vcpu.contains("TEST_CPUID") && vcpu.contains("cr0"), vcpu);
        assertEquals("Deleted exit breakpoint 1.\n", c.monitor("delete-exit 1"));
        assertEquals("No exit breakpoints.\n", c.monitor("exit-breaks"));
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.monitor("delete-exit 9"));
        assertTrue(e.getMessage().contains("no exit breakpoint 9"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.monitor("break-exit CPUID leaf"));
        assertTrue(e.getMessage().contains("not key=value"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.monitor("break-exit NO_SUCH_EXIT"));
        assertTrue(e.getMessage().contains("NO_SUCH_EXIT"), e.getMessage());
    }

    @Test
    void ioPortConditionAndTemporaryBreakpoint() throws IOException {
        RspClient c = start(1);
        c.writeRegister(1, TestRegisters.RIP, new byte[] {0, 0x30, 0, 0, 0, 0, 0, 0});
        c.monitor("tbreak-exit IO port=0xf4");
        c.resume();
        StopReply s = c.awaitStop(WAIT);
        assertEquals("TEST_IO", s.exit().reason());
        assertTrue(s.exit().description().contains("port 0xf4"), s.exit().description());
        assertEquals("No exit breakpoints.\n", c.monitor("exit-breaks"), "temporary: gone after the hit");
        c.resume();
        assertEquals(StopReply.Kind.EXITED, c.awaitStop(WAIT).kind(), "resuming runs the handler: the guest ends");
    }

    @Test
    void inspectionCommands() throws IOException {
        RspClient c = start(1);
        String cpuid = c.monitor("cpuid 7");
        assertTrue(cpuid.contains("supported") && cpuid.contains("requested") && cpuid.contains("effective"), cpuid);
        assertTrue(cpuid.contains("smap"), cpuid);
        String tlb = c.monitor("tlb 0");
        assertTrue(tlb.contains("flushes by cause: CR3 write=3 CR4.PGE toggle=1"), tlb);
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.monitor("isa"));
        assertTrue(e.getMessage().contains("monitor cpuid"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.monitor("tlb 4"));
        assertTrue(e.getMessage().contains("no vCPU 4"), e.getMessage());
    }

    @Test
    void isaOnRiscv() throws IOException {
        f = new StubFixture(Architecture.RISCV64, 1);
        RspClient c = f.connect();
        String isa = c.monitor("isa");
        assertTrue(isa.contains("zabha") && isa.contains("svvptc") && isa.contains("ziccrse"), isa);
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.monitor("cpuid"));
        assertTrue(e.getMessage().contains("monitor isa"), e.getMessage());
    }

    @Test
    void bulkExitsMatchTheTrace() throws IOException, InterruptedException {
        RspClient c = start(2);
        c.monitor("break-exit CPUID leaf=200");
        c.resume();
        assertNotNull(c.awaitStop(WAIT));
        HvdbgExtensions x = c.hvdbg();
        assertNotNull(x, "hvdbg's stub identifies itself");
        assertEquals("x86_64", x.architecture());
        assertEquals(2, x.vcpuCount());
        ExitTrace trace = f.vm.trace();
        List<long[]> got = new ArrayList<>();
        long next = x.fetchExits(0, Long.MAX_VALUE, (seq, vcpu, reason, time, dur, pc, q, i2, ctx) -> {
            got.add(new long[] {seq, vcpu, reason, pc, ctx});
            return true;
        });
        assertEquals(trace.nextSeq(), next);
        assertEquals(trace.size(), got.size());
        List<long[]> expected = new ArrayList<>();
        trace.read(0, Long.MAX_VALUE, (seq, vcpu, reason, time, dur, pc, q, i2, ctx) -> {
            expected.add(new long[] {seq, vcpu, reason, pc, ctx});
            return true;
        });
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(java.util.Arrays.toString(expected.get(i)), java.util.Arrays.toString(got.get(i)), "record " + i);
        }
        // Incremental: from the last sequence number only the new ones come.
        assertEquals(next, x.fetchExits(next, 1000, (a, b, cc, d, e, ff, g, h, i) -> true));
        List<ExitStatRow> stats = x.statistics(-1);
        long cpuidCount = stats.stream().filter(r -> r.reasonId() == TestMachine.CPUID.id()).mapToLong(ExitStatRow::samples)
                .sum();
        assertEquals(f.vm.statistics().count(-1, TestMachine.CPUID), cpuidCount);
        List<ExitBreakpointInfo> breaks = x.exitBreakpoints();
        assertEquals(1, breaks.size());
        VcpuSnapshot st = x.state(0);
        assertEquals(0, st.vcpu());
        TlbSnapshot tlb = x.tlb(0, 10);
        assertEquals(1234, tlb.hits());
        assertEquals(7, x.features(0).entries().get(1).leaf());
    }

    @Test
    void stepToExitStopsAtTheNextExit() throws IOException {
        RspClient c = start(1);
        c.hvdbg().startStepToExit(1, null);
        StopReply s = c.awaitStop(WAIT);
        assertNotNull(s.exit(), s.toString());
        assertEquals("TEST_CPUID", s.exit().reason());
        assertTrue(f.vm.exitBreakpoints().all().isEmpty(), "the step's breakpoint is gone");
        int id = c.hvdbg().addExitBreakpoint("CPUID", "leaf=5", -1, false);
        c.hvdbg().enableExitBreakpoint(id, false);
        assertFalse(f.vm.exitBreakpoints().get(id).enabled());
        c.hvdbg().deleteExitBreakpoint(id);
        assertTrue(f.vm.exitBreakpoints().all().isEmpty());
    }
}
