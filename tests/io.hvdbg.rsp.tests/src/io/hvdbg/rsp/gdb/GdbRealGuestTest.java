/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.gdb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.server.GdbServer;
import io.hvdbg.x86.X86MachineFactory;

/**
 * The acceptance runs: real gdb against the x86-64 core and gdb-multiarch against the RISC-V
 * core, each running its bundled demo guest with two vCPUs, in batch mode: connect, info
 * registers, stepi, break at a symbol and continue, a watchpoint on a global, info threads,
 * monitor commands with an exit breakpoint on the next CPUID / SBI call, and the guest's end.
 * The x86 guest is a multiboot kernel: gdb connects in 32-bit protected mode and must keep
 * working once the guest is in long mode (one target description for every mode).
 */
class GdbRealGuestTest {
    private VirtualMachine vm;
    private GdbServer server;
    private final List<String> stubLog = new ArrayList<>();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (vm != null) {
            vm.terminate();
        }
    }

    private String session(Architecture arch, String... commands) throws Exception {
        MachineFactory factory = arch == Architecture.X86_64 ? new X86MachineFactory() : new RiscvMachineFactory();
        Path kernel = GuestImages.extract(arch.cliName() + "/demo.elf");
        vm = factory.create(VmConfig.defaults(arch).withSmp(2).withKernel(kernel));
        vm.start();
        server = GdbStub.start(vm, "0", stubLog::add);
        List<String> all = new ArrayList<>();
        // The x86 demo is an ELF32 multiboot image; without this gdb would take it for i386.
        all.add("set architecture " + arch.gdbArchitecture());
        all.add("file " + kernel);
        all.add("target remote 127.0.0.1:" + server.port());
        all.addAll(List.of(commands));
        String out = GdbBatch.run(arch == Architecture.X86_64 ? "gdb" : "gdb-multiarch", all);
        assertTrue(out.contains(" in _start ()"), "gdb connected and shows where the guest is:\n" + out + stubLog);
        for (String bad : List.of("Remote replied unexpectedly", "Protocol error", "Remote failure reply",
                "Truncated register", "rejected target-supplied description", "Remote connection closed")) {
            assertTrue(!out.contains(bad), bad + ":\n" + out);
        }
        return out;
    }

    private static long symbol(Architecture arch, String name) throws Exception {
        return io.hvdbg.core.loader.ElfImage.parse(name, GuestImages.read(arch.cliName() + "/demo.elf")).symbol(name)
                .value();
    }

    private static void contains(String out, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.DOTALL | Pattern.MULTILINE).matcher(out).find(),
                "no match for " + regex + " in\n" + out);
    }

    @Test
    void x86RegistersStepiBreakAcrossTheSwitchToLongModeAndThreads() throws Exception {
        String out = session(Architecture.X86_64, "info registers rip cr0 efer", "stepi", "info registers rip",
                "break main", "continue", "info registers rip cs cr0 efer", "x/i $pc", "info threads",
                "monitor cpuid 1", "monitor tlb 0", "monitor vcpu 0", "monitor stats", "detach");
        // Attached in 32-bit protected mode, no paging …
        contains(out, "^cr0\\s+0x\\w+\\s+\\[ PE [^\\]]*\\]");
        contains(out, "^rip\\s+0x10000c\\s+0x10000c <_start>");
        contains(out, "^rip\\s+0x10001\\w\\s+0x10001\\w <_start\\+\\d+>");
        // … and the same description serves long mode.
        long main = symbol(Architecture.X86_64, "main");
        contains(out, String.format("Thread 1 \"vCPU 0\" hit Breakpoint 1, 0x%016x in main \\(\\)", main));
        contains(out, "^cr0\\s+0x\\w+\\s+\\[ PE .*PG \\]");
        contains(out, "^efer\\s+0x\\w+\\s+\\[ [^\\]]*LMA[^\\]]*\\]");
        contains(out, String.format("=> 0x%x <main>:\\s+\\w+", main));
        contains(out, "\\* 1\\s+Thread 1 \"vCPU 0\" \\(running in long mode");
        contains(out, "  2\\s+Thread 2 \"vCPU 1\"");
        // Hypervisor state from plain gdb.
        contains(out, "0x00000001 0\\s+supported .*0x00000001 0\\s+requested .*0x00000001 0\\s+effective ");
        contains(out, "feature bits .*CPUID 0x1 EDX.*\\s+pae\\s+SRE");
        contains(out, "TLB of vCPU 0: \\d+ entries.*flushes by cause: .*CR3 write=");
        contains(out, "last exit: .*EXIT_REASON_\\w+");
        contains(out, "^\\s+efer\\s+0x\\w+\\s+LME LMA");
        contains(out, "VM-EXIT\\s+Samples\\s+Samples%.*Total Samples:\\d+");
    }

    @Test
    void x86WatchpointExitBreakpointOnCpuidAndTheEnd() throws Exception {
        String out = session(Architecture.X86_64, "monitor break-exit CPUID", "continue", "x/i $pc",
                "monitor exits 1", "monitor exit-breaks", "monitor delete-exit 1", "watch *(int *)&ticks", "continue",
                "delete", "continue");
        contains(out, "Exit breakpoint 1: CPUID");
        contains(out, "received signal SIGTRAP.*=> 0x\\w+ <\\w+\\+?\\d*>:\\s+cpuid");
        contains(out, "EXIT_REASON_CPUID");
        contains(out, "1\\s+keep\\s+y\\s+1\\s+CPUID");
        contains(out, "Hardware watchpoint 1: \\*\\(int \\*\\)&ticks.*Old value = 0\\s+New value = 1");
        // The demo's isa-debug-exit with 0: status (0 << 1) | 1.
        contains(out, "\\[Inferior 1 \\(Remote target\\) exited with code 01\\]");
    }

    @Test
    void riscvRegistersStepiBreakAndThreads() throws Exception {
        String out = session(Architecture.RISCV64, "info registers pc a0 a1", "stepi", "info registers pc",
                "break main", "continue", "info registers pc hstatus vsatp", "info threads", "monitor isa",
                "monitor tlb 0", "monitor vcpu 0", "detach");
        contains(out, "^pc\\s+0x80200000\\s+0x80200000 <_start>");
        contains(out, "^a1\\s+0x\\w+"); // the FDT address, per the boot protocol
        contains(out, "^pc\\s+0x802000\\w\\w\\s+0x802000\\w\\w <(_start\\+\\d+|real_start)>");
        contains(out, "Thread 1 \"vCPU 0\" hit Breakpoint 1, 0x\\w+ in main \\(\\)");
        contains(out, "^hstatus\\s+0x\\w+");
        contains(out, "^vsatp\\s+0x\\w+");
        contains(out, "\\* 1\\s+Thread 1 \"vCPU 0\"");
        contains(out, "  2\\s+Thread 2 \"vCPU 1\"");
        contains(out, "extension\\s+supported\\s+requested\\s+effective.*zabha\\s+yes.*svvptc\\s+yes");
        contains(out, "TLB of vCPU 0: \\d+ entries");
        contains(out, "^\\s+hgatp\\s+0x\\w+\\s+Sv39x4");
        contains(out, "^\\s+vsatp\\s+0x\\w+");
    }

    @Test
    void riscvWatchpointExitBreakpointOnSbiAndTheEnd() throws Exception {
        String out = session(Architecture.RISCV64, "watch *(long *)&trap_count", "continue", "delete",
                "monitor break-exit SBI", "continue", "x/i $pc", "monitor exits 1", "monitor delete-exit 1",
                "continue");
        contains(out, "Hardware watchpoint 1: \\*\\(long \\*\\)&trap_count.*Old value = 0\\s+New value = 1");
        contains(out, "Exit breakpoint 1: HYPERCALL");
        contains(out, "received signal SIGTRAP.*=> 0x\\w+ <\\w+\\+?\\d*>:\\s+ecall");
        contains(out, "SBI ecall ext \\w+");
        // SBI SRST shutdown: status 0.
        contains(out, "\\[Inferior 1 \\(Remote target\\) exited normally\\]");
    }
}
