/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.server.GdbServer;
import io.hvdbg.rsp.testarch.TestMachine;

/**
 * Real gdb (x86-64) and gdb-multiarch (RISC-V) in batch mode against the stub: connect, info
 * registers, stepi, break at a symbol and continue, a watchpoint on a global, info threads with
 * two vCPUs, monitor commands with an exit breakpoint, and the guest's exit.
 *
 * <p>The machine is the test machine (io.hvdbg.rsp.testarch) with its guest built from
 * resources/gdb-guest by binutils: it presents the real target description of each
 * architecture, which is what gdb talks to.
 */
class GdbClientTest {
    private TestMachine vm;
    private TestGuest guest;
    private GdbServer server;
    private final List<String> stubLog = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (vm != null) {
            vm.terminate();
        }
    }

    private static String gdbFor(Architecture arch) {
        return arch == Architecture.X86_64 ? "gdb" : "gdb-multiarch";
    }

    /** Builds the guest, serves it and runs gdb with the commands after connecting; returns gdb's output. */
    private String session(Architecture arch, int vcpus, String... commands) throws Exception {
        serve(arch, vcpus);
        List<String> all = new ArrayList<>();
        if (arch == Architecture.RISCV64) {
            all.add("set architecture riscv:rv64");
        }
        all.add("file " + guest.elf);
        all.add("target remote 127.0.0.1:" + server.port());
        all.addAll(List.of(commands));
        all.add("detach");
        String out = GdbBatch.run(gdbFor(arch), all);
        assertTrue(out.contains("0x0000000000001000 in _start ()"), "gdb connected and shows where the guest is:\n" + out);
        assertTrue(!out.contains("Remote replied unexpectedly") && !out.contains("Protocol error")
                && !out.contains("Remote failure reply") && !out.contains("Truncated register"), out);
        return out;
    }

    private void serve(Architecture arch, int vcpus) throws Exception {
        guest = TestGuest.build(arch, dir);
        vm = guest.machine(arch, vcpus);
        vm.start();
        server = GdbStub.start(vm, "0", stubLog::add);
    }

    private static String pcName(Architecture arch) {
        return arch == Architecture.X86_64 ? "rip" : "pc";
    }

    private static long hexAfter(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void infoRegistersAndStepi(Architecture arch) throws Exception {
        String pc = pcName(arch);
        String out = session(arch, 1, "info registers", "stepi", "info registers " + pc, "stepi",
                "info registers " + pc);
        if (arch == Architecture.X86_64) {
            for (String r : List.of("rax", "rsp", "rip", "eflags", "cs", "fs_base", "cr0", "cr4", "efer")) {
                assertTrue(Pattern.compile("(?m)^" + r + "\\s+0x").matcher(out).find(), r + " in\n" + out);
            }
            assertTrue(out.contains("[ PE ET PG ]"), "cr0 decoded with its flags:\n" + out);
        } else {
            for (String r : List.of("ra", "sp", "a0", "pc")) {
                assertTrue(Pattern.compile("(?m)^" + r + "\\s+0x").matcher(out).find(), r + " in\n" + out);
            }
        }
        // The first stepi reaches loop, the second (the call) enters work.
        List<Long> pcs = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^" + pc + "\\s+0x([0-9a-f]+)").matcher(out);
        while (m.find()) {
            pcs.add(Long.parseLong(m.group(1), 16));
        }
        assertEquals(List.of(guest.symbol("_start"), guest.symbol("loop"), guest.symbol("work")), pcs, out);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void breakAtASymbolAndContinue(Architecture arch) throws Exception {
        String out = session(arch, 1, "break work", "continue", "continue", "print/x $" + pcName(arch),
                "print *(long *)&counter");
        // gdb skips the prologue (push rbp; mov rbp,rsp / addi sp; sd fp; addi fp) as it does for real code.
        long bp = hexAfter(out, "Breakpoint 1 at 0x([0-9a-f]+)");
        assertTrue(bp > guest.symbol("work") && bp < guest.symbol("finish"), out);
        assertEquals(2, count(out, String.format("Breakpoint 1, 0x%016x in work ()", bp)), out);
        assertEquals(bp, hexAfter(out, "\\$1 = 0x([0-9a-f]+)"));
        // Two hits, one increment of the counter between them.
        assertTrue(out.matches("(?s).*\\$2 = 1\\b.*"), out);
        assertEquals(VirtualMachine.RunState.RUNNING, awaitRunning(), "after detach the VM runs on");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private VirtualMachine.RunState awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (vm.runState() != VirtualMachine.RunState.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return vm.runState();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void watchpointOnAGlobal(Architecture arch) throws Exception {
        String out = session(arch, 1, "watch *(long *)&counter", "continue", "continue", "print *(long *)&counter");
        assertTrue(out.contains("Hardware watchpoint 1: *(long *)&counter"), out);
        assertTrue(out.matches("(?s).*Old value = 0\\s+New value = 1.*Old value = 1\\s+New value = 2.*"), out);
        assertTrue(out.matches("(?s).*\\$1 = 2\\b.*"), out);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void infoThreadsWithTwoVcpus(Architecture arch) throws Exception {
        String out = session(arch, 2, "set debug remote " + (System.getenv("HVDBG_GDB_DEBUG") != null ? 1 : 0),
                "info threads", "thread 2", "stepi", "info threads");
        assertTrue(out.contains("Thread 1 \"vCPU 0\""), out);
        assertTrue(out.contains("Thread 2 \"vCPU 1\""), out);
        assertTrue(out.contains("[Switching to thread 2"), out);
        // After the stepi of thread 2, the second listing shows vCPU 1 at loop.
        String after = out.substring(out.lastIndexOf("Target Id"));
        assertTrue(Pattern.compile("Thread 2 \"vCPU 1\".*0x0*" + Long.toHexString(guest.symbol("loop"))
                + " in loop").matcher(after).find(), out);
        if (arch == Architecture.X86_64) {
            // x86 gdb steps with vCont;s:2 and the stub holds the other vCPUs. gdb on RISC-V steps in
            // software: a breakpoint at the next instruction and every thread resumed, as on hardware.
            assertTrue(Pattern.compile("Thread 1 \"vCPU 0\".*0x0*" + Long.toHexString(guest.symbol("_start"))
                    + " in _start").matcher(after).find(), out);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void monitorCommandsAndAnExitBreakpoint(Architecture arch) throws Exception {
        // The acceptance's exit: the next CPUID on x86, the next SBI call on RISC-V.
        String reason = arch == Architecture.X86_64 ? "CPUID" : "SBI";
        String out = session(arch, 1, "monitor help", "monitor break-exit " + reason, "continue",
                "print/x $" + pcName(arch), "monitor exit-breaks", "monitor exits 2", "monitor stats",
                "monitor vcpu", "monitor delete-exit 1", "monitor exit-breaks");
        assertTrue(out.contains("hvdbg monitor commands:"), out);
        assertTrue(out.contains("Exit breakpoint 1: "), out);
        assertTrue(out.contains("Program received signal SIGTRAP"), out);
        // cpuid / ecall: both at 0x100c in the two guests.
        assertTrue(out.matches("(?s).*\\$1 = 0x100c\\b.*"), "stopped at the exiting instruction:\n" + out);
        assertTrue(out.matches("(?s).*\\b1\\s+keep\\s+y\\s+1\\b.*"), "hit count 1:\n" + out);
        assertTrue(out.contains(arch == Architecture.X86_64 ? "CPUID leaf 0x1" : "SBI call ext 0x10"), out);
        assertTrue(out.contains("last exit:"), out);
        assertTrue(out.contains("Deleted exit breakpoint 1."), out);
        assertTrue(out.contains("No exit breakpoints."), out);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void guestExitEndsTheSession(Architecture arch) throws Exception {
        serve(arch, 1);
        List<String> cmds = new ArrayList<>();
        if (arch == Architecture.RISCV64) {
            cmds.add("set architecture riscv:rv64");
        }
        cmds.addAll(List.of("file " + guest.elf, "target remote 127.0.0.1:" + server.port(),
                "set $" + pcName(arch) + " = finish", "continue"));
        String out = GdbBatch.run(gdbFor(arch), cmds);
        // x86: isa-debug-exit style status (3 << 1) | 1; RISC-V: SBI SRST with reason 0.
        assertTrue(out.contains(arch == Architecture.X86_64 ? "exited with code 07" : "exited normally"), out);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSecondGdbIsRefusedWhileTheFirstIsAttached(Architecture arch) throws Exception {
        serve(arch, 1);
        try (var first = io.hvdbg.rsp.client.RspClient.connect(new java.net.InetSocketAddress("127.0.0.1",
                server.port()), io.hvdbg.rsp.client.RspClient.Options.defaults())) {
            String out = GdbBatch.run(gdbFor(arch), List.of("target remote 127.0.0.1:" + server.port()));
            assertTrue(out.contains("another debugger") && out.contains("already attached"), out);
            assertEquals("OK", first.request("T1"), "the first client is undisturbed");
        }
    }
}
