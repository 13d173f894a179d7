/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.client.RemoteErrorException;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.RspClient.BreakpointType;
import io.hvdbg.rsp.client.StopReply;
import io.hvdbg.rsp.client.TargetDescription;
import io.hvdbg.rsp.client.ThreadInfo;
import io.hvdbg.rsp.testarch.TestRegisters;

/** The stub's standard packets, driven through the client library over loopback. */
class GdbServerTest {
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
    void negotiatesTheAnnouncedFeaturesAndNoAckMode() throws IOException {
        RspClient c = start(1);
        for (String feature : List.of("qXfer:features:read", "qXfer:threads:read", "QStartNoAckMode",
                "vContSupported", "swbreak", "hwbreak")) {
            assertTrue(c.stubSupports(feature), feature + " in " + c.stubFeatures());
        }
        assertEquals(GdbServer.DEFAULT_MAX_PACKET, c.stubPacketSize());
        assertFalse(c.ackMode(), "the client asked for QStartNoAckMode");
        assertEquals("1", c.request("qAttached"));
        assertEquals("", c.request("vMustReplyEmpty"));
        assertEquals("", c.request("qTStatus"), "unknown packets get the empty reply");
        assertEquals("vCont;c;C;s;S;t", c.request("vCont?"));
    }

    @Test
    void listensOnLoopbackByDefault() throws IOException {
        start(1);
        assertEquals("127.0.0.1", f.server.address().getAddress().getHostAddress());
        assertEquals("127.0.0.1", GdbEndpoint.parse("1234").getAddress().getHostAddress());
        assertEquals("0.0.0.0", GdbEndpoint.parse("0.0.0.0:1234").getAddress().getHostAddress());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GdbEndpoint.parse("12x"));
        assertTrue(e.getMessage().contains("'12x' is not a port number"), e.getMessage());
    }

    @Test
    void aSecondClientIsRefusedAndTheFirstIsUndisturbed() throws IOException {
        RspClient first = start(1);
        IOException e = assertThrows(IOException.class,
                () -> RspClient.connect(f.address(), RspClient.Options.defaults()));
        assertTrue(e.getMessage().contains("another debugger") && e.getMessage().contains("already attached"),
                e.getMessage());
        assertEquals(0x1000, first.readRegisterLong(1, TestRegisters.RIP));
        StopReply s = first.step(1);
        assertEquals(0x1007, s.register(TestRegisters.RIP));
        first.detach();
        assertTrue(waitNoClient());
        try (RspClient next = RspClient.connect(f.address(), RspClient.Options.defaults())) {
            assertNotNull(next.status(), "after the first detached, another client may attach");
        }
    }

    private boolean waitNoClient() {
        try {
            return f.server.awaitNoClient(5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void targetDescriptionIsServedAndMatchesTheRegisterList() throws IOException {
        RspClient c = start(1);
        TargetDescription d = c.targetDescription();
        assertEquals("i386:x86-64", d.architecture());
        assertEquals(f.vm.vcpu(0).registers().size(), d.registers().size());
        for (String r : List.of("rax", "rip", "eflags", "xmm15", "mxcsr", "fs_base", "cr0", "cr3", "cr4", "cr8",
                "efer")) {
            assertNotNull(d.register(r), r);
        }
        String xml = new String(c.readXfer("features", "target.xml"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(xml.contains("<feature name=\"org.gnu.gdb.i386.core\">"), xml);
        assertTrue(xml.contains("<feature name=\"org.gnu.gdb.i386.sse\">"), xml);
        // The same document after the guest ran: the description does not follow guest modes.
        c.step(1);
        assertEquals(xml, new String(c.readXfer("features", "target.xml"), java.nio.charset.StandardCharsets.UTF_8));
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.readXfer("features", "other.xml"));
        assertNotNull(e.getMessage());
    }

    @Test
    void registersReadAndWriteWithGAndPPackets() throws IOException {
        RspClient c = start(1);
        Map<Integer, byte[]> regs = c.readRegisters(1);
        assertEquals(f.vm.vcpu(0).registers().size(), regs.size(), "x86-64: every register is in the g reply");
        assertEquals(0x1000, le(regs.get(TestRegisters.RIP)));
        assertEquals(0x80000011L, le(regs.get(TestRegisters.CR0)));
        c.writeRegister(1, TestRegisters.RAX, new byte[] {0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0});
        assertEquals(0x11223344L, f.vm.testVcpu(0).reg(TestRegisters.RAX));
        assertEquals(0x11223344L, c.readRegisterLong(1, TestRegisters.RAX));
        byte[] xmm = new byte[16];
        for (int i = 0; i < 16; i++) {
            xmm[i] = (byte) (i + 1);
        }
        c.writeRegister(1, TestRegisters.XMM0 + 3, xmm);
        assertArrayEquals(xmm, c.readRegister(1, TestRegisters.XMM0 + 3));
        // G writes back the whole file; change rbx in it.
        String g = c.request("g");
        String changed = g.substring(0, 16) + "efbeadde00000000" + g.substring(32); // rbx
        assertEquals("OK", c.request("G" + changed));
        assertEquals(0xdeadbeefL, f.vm.testVcpu(0).reg(1), "rbx is gdb register 1");
        assertEquals(0x11223344L, f.vm.testVcpu(0).reg(TestRegisters.RAX), "G left other registers as they were");
        // Errors name the problem, the session goes on.
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.request("p3e8"));
        assertTrue(e.getMessage().contains("no register number 1000"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("P0=11"));
        assertTrue(e.getMessage().contains("is 8 bytes"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("G1234"));
        assertTrue(e.getMessage().contains("ends inside rax"), e.getMessage());
        assertEquals(0x1000, c.readRegisterLong(1, TestRegisters.RIP));
    }

    private static long le(byte[] b) {
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    @Test
    void memoryReadsAndWritesIncludingBinaryAndPartialRanges() throws IOException {
        RspClient c = start(1);
        assertArrayEquals(StubFixture.PROGRAM, c.readMemory(1, StubFixture.CODE, StubFixture.PROGRAM.length));
        byte[] nasty = {'#', '$', '}', '*', 0, 3, (byte) 0xff, '+', '-'};
        c.writeMemory(1, 0x5000, nasty);
        assertArrayEquals(nasty, c.readMemory(1, 0x5000, nasty.length));
        assertEquals("OK", c.request("M5100,2:abcd"));
        assertArrayEquals(new byte[] {(byte) 0xab, (byte) 0xcd}, c.readMemory(1, 0x5100, 2));
        assertEquals("OK", c.request("X5100,0:"), "gdb probes X with an empty write");
        // A range running off the end of RAM reads as its readable prefix; wholly outside is an error.
        assertEquals(16, c.readMemory(1, 0x100000 - 16, 64).length);
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.readMemory(1, 0x7000000, 4));
        assertTrue(e.getMessage().contains("cannot read guest memory at 0x7000000"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("M7000000,1:00"));
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("M5000,4:00"));
        assertTrue(e.getMessage().contains("length says 4 bytes but the data has 1"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("m5000"));
        assertTrue(e.getMessage().contains("malformed packet 'm5000'"), e.getMessage());
    }

    @Test
    void stepiAdvancesTheSelectedVcpuOnly() throws IOException {
        RspClient c = start(2);
        StopReply s = c.step(2);
        assertEquals(StopReply.SIGTRAP, s.code());
        assertEquals(2, s.thread());
        assertEquals(0x1007L, s.register(TestRegisters.RIP), "the stop reply carries the new pc");
        assertEquals(0x1000, f.vm.vcpu(0).pc(), "vCPU 0 did not move");
        assertEquals(0x1007, f.vm.vcpu(1).pc());
        // Old-style Hc + s.
        assertEquals("OK", c.request("Hc1"));
        c.startRun("s");
        s = c.awaitStop(WAIT);
        assertEquals(1, s.thread());
        assertEquals(0x1007, f.vm.vcpu(0).pc());
        // vCont with a per-thread step and a default continue steps that thread (all-stop, scheduler-locked step).
        c.startRun("vCont;s:1;c");
        s = c.awaitStop(WAIT);
        assertEquals(1, s.thread());
        assertEquals(StubFixture.INC, f.vm.vcpu(0).pc());
        assertEquals(0x1007, f.vm.vcpu(1).pc());
    }

    @Test
    void vContContinuesOnlyTheNamedThreadsAndHoldsTheOthers() throws IOException {
        RspClient c = start(2);
        c.insertBreakpoint(BreakpointType.SOFTWARE, StubFixture.CPUID, 2);
        c.startRun("vCont;c:2");
        StopReply s = c.awaitStop(WAIT);
        assertEquals(2, s.thread(), "only vCPU 1 ran, so it hit the breakpoint");
        assertEquals(StubFixture.CPUID, f.vm.vcpu(1).pc());
        assertEquals(StubFixture.CODE, f.vm.vcpu(0).pc(), "vCPU 0 was held");
        c.startRun("vCont;c:1;t");
        s = c.awaitStop(WAIT);
        assertEquals(1, s.thread());
        assertEquals(StubFixture.CPUID, f.vm.vcpu(0).pc());
        assertEquals(2, le(c.readMemory(1, StubFixture.COUNTER, 8)), "each vCPU counted once");
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.request("vCont;c:7"));
        assertTrue(e.getMessage().contains("no thread 7"), e.getMessage());
        e = assertThrows(RemoteErrorException.class, () -> c.request("vCont;x"));
        assertTrue(e.getMessage().contains("unknown vCont action 'x'"), e.getMessage());
        assertEquals("OK", c.request("vCont;t:1"));
    }

    @Test
    void breakpointsLiveInTheCoreNotInGuestMemory() throws IOException {
        RspClient c = start(1);
        c.insertBreakpoint(BreakpointType.SOFTWARE, StubFixture.CPUID, 2);
        assertTrue(f.vm.breakpoints().contains(StubFixture.CPUID));
        assertArrayEquals(StubFixture.PROGRAM, c.readMemory(1, StubFixture.CODE, StubFixture.PROGRAM.length),
                "guest memory is not patched");
        c.resume();
        StopReply s = c.awaitStop(WAIT);
        assertEquals(StopReply.SIGTRAP, s.code());
        assertEquals("swbreak", s.reason());
        assertEquals(StubFixture.CPUID, s.register(TestRegisters.RIP));
        // Continuing from the breakpoint makes progress: one loop round later it hits again.
        c.resume();
        s = c.awaitStop(WAIT);
        assertEquals(StubFixture.CPUID, s.register(TestRegisters.RIP));
        assertEquals(2, le(c.readMemory(1, StubFixture.COUNTER, 8)));
        c.removeBreakpoint(BreakpointType.SOFTWARE, StubFixture.CPUID, 2);
        assertFalse(f.vm.breakpoints().contains(StubFixture.CPUID));
        // Hardware breakpoints are reported as such.
        c.insertBreakpoint(BreakpointType.HARDWARE, StubFixture.LOOP, 1);
        c.resume();
        s = c.awaitStop(WAIT);
        assertEquals("hwbreak", s.reason());
        assertEquals(StubFixture.LOOP, s.register(TestRegisters.RIP));
    }

    @Test
    void watchpointStopReportsTheWatchedAddress() throws IOException {
        RspClient c = start(1);
        c.insertBreakpoint(BreakpointType.WRITE_WATCHPOINT, StubFixture.COUNTER, 8);
        c.resume();
        StopReply s = c.awaitStop(WAIT);
        assertEquals("watch", s.reason());
        assertEquals(StubFixture.COUNTER, s.dataAddress());
        assertEquals(StubFixture.CPUID, s.register(TestRegisters.RIP), "stopped after the storing instruction");
        assertEquals(1, le(c.readMemory(1, StubFixture.COUNTER, 8)));
        c.removeBreakpoint(BreakpointType.WRITE_WATCHPOINT, StubFixture.COUNTER, 8);
        c.insertBreakpoint(BreakpointType.ACCESS_WATCHPOINT, StubFixture.COUNTER, 8);
        c.resume();
        s = c.awaitStop(WAIT);
        assertEquals("awatch", s.reason());
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> c.request("Z2,2000,0"));
        assertTrue(e.getMessage().contains("length must be positive"), e.getMessage());
        assertEquals("", c.request("Z9,2000,1"), "unknown breakpoint types are unsupported");
    }

    @Test
    void interruptStopsARunningGuest() throws IOException, InterruptedException {
        RspClient c = start(2);
        c.resume();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (f.vm.memory().load(StubFixture.COUNTER, 8) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5); // let the guest run a few rounds (the test thread may peek at RAM)
        }
        assertTrue(c.running());
        c.interrupt();
        StopReply s = c.awaitStop(WAIT);
        assertNotNull(s, "the 0x03 interrupt stops the guest");
        assertEquals(StopReply.SIGINT, s.code());
        assertEquals(VirtualMachine.RunState.PAUSED, f.vm.runState());
        assertTrue(le(c.readMemory(1, StubFixture.COUNTER, 8)) > 1, "the guest ran");
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> {
            c.resume();
            c.request("g");
        });
        assertTrue(busy.getMessage().contains("running"), busy.getMessage());
        c.interrupt();
        assertNotNull(c.awaitStop(WAIT));
    }

    @Test
    void packetsWhileRunningAreRefusedByTheStub() throws Exception {
        f = new StubFixture(1);
        try (RawConnection raw = new RawConnection(f.address())) {
            raw.handshakeNoAck();
            raw.send("c");
            raw.send("g");
            String r = raw.reply();
            assertTrue(r.startsWith("E.") && r.contains("running"), r);
            raw.interrupt();
            assertTrue(raw.reply().startsWith("T02"));
        }
    }

    @Test
    void threadsAreVcpus() throws IOException {
        RspClient c = start(2);
        List<ThreadInfo> threads = c.threads();
        assertEquals(2, threads.size());
        assertEquals(1, threads.get(0).id());
        assertEquals("vCPU 0", threads.get(0).name());
        assertEquals("vCPU 1", threads.get(1).name());
        assertTrue(threads.get(1).extra().contains("long mode"), threads.get(1).extra());
        assertEquals("m1,2", c.request("qfThreadInfo"));
        assertEquals("l", c.request("qsThreadInfo"));
        assertEquals("OK", c.request("T2"));
        assertThrows(RemoteErrorException.class, () -> c.request("T3"));
        assertThrows(RemoteErrorException.class, () -> c.request("Hg5"));
        assertTrue(c.request("qC").startsWith("QC"));
        // Hg picks whose registers g/p read.
        f.vm.testVcpu(1).setReg(TestRegisters.RAX, 0x77);
        assertEquals(0x77, c.readRegisterLong(2, TestRegisters.RAX));
        assertEquals(0, c.readRegisterLong(1, TestRegisters.RAX));
        String extra = io.hvdbg.rsp.codec.Hex.decodeText(c.request("qThreadExtraInfo,2"));
        assertTrue(extra.contains("running in long mode"), extra);
    }

    @Test
    void guestExitIsAnExitedStopReply() throws IOException {
        RspClient c = start(1);
        c.writeRegister(1, TestRegisters.RIP, new byte[] {0, 0x30, 0, 0, 0, 0, 0, 0});
        c.resume();
        StopReply s = c.awaitStop(WAIT);
        assertEquals(StopReply.Kind.EXITED, s.kind());
        assertEquals(7, s.code());
        assertEquals("W07", c.request("?"));
        assertEquals("W07", c.request("c"), "resuming an ended VM answers with its end");
    }

    @Test
    void detachLeavesTheVmRunningAndRemovesTheClientsBreakpoints() throws Exception {
        RspClient c = start(1);
        c.insertBreakpoint(BreakpointType.SOFTWARE, 0x9000, 1);
        c.insertBreakpoint(BreakpointType.WRITE_WATCHPOINT, 0x9100, 8);
        c.monitor("break-exit HLT");
        c.detach();
        assertTrue(waitNoClient());
        assertFalse(f.vm.breakpoints().contains(0x9000));
        assertFalse(f.vm.watchpoints().isActive());
        assertTrue(f.vm.exitBreakpoints().all().isEmpty());
        assertEquals(VirtualMachine.RunState.RUNNING, f.vm.runState());
        assertTrue(f.log.stream().anyMatch(l -> l.contains("detached")), f.log.toString());
        // The next client finds the VM stopped for it.
        try (RspClient next = RspClient.connect(f.address(), RspClient.Options.defaults())) {
            assertEquals(VirtualMachine.RunState.PAUSED, f.vm.runState());
            next.step(1);
        }
    }

    @Test
    void killTerminatesTheVm() throws Exception {
        RspClient c = start(1);
        c.kill();
        assertTrue(waitNoClient());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (f.vm.runState() != VirtualMachine.RunState.TERMINATED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(VirtualMachine.RunState.TERMINATED, f.vm.runState());
    }

    @Test
    void riscvFlavourServesTheRiscvDescriptionAndSparseCsrNumbers() throws IOException {
        f = new StubFixture(Architecture.RISCV64, 1);
        RspClient c = f.connect();
        TargetDescription d = c.targetDescription();
        assertEquals("riscv:rv64", d.architecture());
        for (String r : List.of("zero", "ra", "sp", "a0", "pc", "ft0", "fcsr", "sstatus", "satp", "hstatus", "vsatp",
                "vsstatus", "hgatp")) {
            assertNotNull(d.register(r), r + " in the description");
        }
        String xml = new String(c.readXfer("features", "target.xml"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(xml.contains("org.gnu.gdb.riscv.cpu") && xml.contains("org.gnu.gdb.riscv.fpu")
                && xml.contains("org.gnu.gdb.riscv.csr"), xml);
        // g carries x0-x31, pc and the FPU file; CSRs go by p with gdb's numbers (65 + CSR number).
        Map<Integer, byte[]> regs = c.readRegisters(1);
        assertEquals(0x1000, le(regs.get(TestRegisters.RV_PC)));
        assertFalse(regs.containsKey(TestRegisters.RV_CSR_BASE + 0x280), "CSRs are not in g");
        c.writeRegister(1, TestRegisters.RV_CSR_BASE + 0x280, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(0x0807060504030201L, c.readRegisterLong(1, TestRegisters.RV_CSR_BASE + 0x280));
    }
}
