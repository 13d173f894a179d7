/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.StopReply;
import io.hvdbg.rsp.client.TargetDescription;
import io.hvdbg.rsp.tdesc.GdbRequirements;
import io.hvdbg.x86.X86MachineFactory;

/** The target descriptions the real cores get: what gdb requires, the hypervisor registers, and stability across modes. */
class RealTargetDescriptionTest {
    private static VirtualMachine machine(Architecture arch) throws Exception {
        MachineFactory f = arch == Architecture.X86_64 ? new X86MachineFactory() : new RiscvMachineFactory();
        return f.create(VmConfig.defaults(arch).withKernel(GuestImages.extract(arch.cliName() + "/demo.elf")));
    }

    @Test
    void x86DescriptionHasCoreSseSegmentBasesAndSystemAndStaysTheSameInLongMode() throws Exception {
        VirtualMachine vm = machine(Architecture.X86_64);
        assertEquals(List.of(), GdbRequirements.check(Architecture.X86_64, vm.vcpu(0).registers()));
        vm.start();
        try (GdbServer server = GdbStub.start(vm, "0", null);
                RspClient c = RspClient.connect(new InetSocketAddress("127.0.0.1", server.port()),
                        RspClient.Options.defaults())) {
            String before = new String(c.readXfer("features", "target.xml"), StandardCharsets.UTF_8);
            TargetDescription d = c.targetDescription();
            assertEquals("i386:x86-64", d.architecture());
            for (String r : List.of("rax", "r15", "rip", "eflags", "cs", "gs", "st7", "fop", "xmm15", "mxcsr", "fs_base",
                    "gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer")) {
                assertNotNull(d.register(r), r + " in\n" + before);
            }
            for (String feature : List.of("org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse", "org.gnu.gdb.i386.segments")) {
                assertTrue(before.contains("<feature name=\"" + feature + "\">"), feature);
            }
            // Attached in 32-bit protected mode; run to main in long mode.
            assertEquals(0, c.readRegisterLong(1, d.register("efer").regnum()) & 0x400, "LMA clear at the entry");
            long main = ElfImage.parse("demo", GuestImages.read("x86_64/demo.elf")).symbol("main").value();
            c.insertBreakpoint(RspClient.BreakpointType.SOFTWARE, main, 1);
            c.resume();
            StopReply s = c.awaitStop(Duration.ofSeconds(20));
            assertEquals(main, s.register(d.register("rip").regnum()));
            assertEquals(0x400, c.readRegisterLong(1, d.register("efer").regnum()) & 0x400, "LMA set in main");
            assertEquals(before, new String(c.readXfer("features", "target.xml"), StandardCharsets.UTF_8),
                    "the description does not change with the guest's mode");
            assertEquals(d.layout().gPacketBytes() * 2, c.request("g").length(), "g carries every register, same size");
        } finally {
            vm.terminate();
        }
    }

    @Test
    void riscvDescriptionHasCpuFpuAndHypervisorCsrs() throws Exception {
        VirtualMachine vm = machine(Architecture.RISCV64);
        assertEquals(List.of(), GdbRequirements.check(Architecture.RISCV64, vm.vcpu(0).registers()));
        vm.start();
        try (GdbServer server = GdbStub.start(vm, "0", null);
                RspClient c = RspClient.connect(new InetSocketAddress("127.0.0.1", server.port()),
                        RspClient.Options.defaults())) {
            TargetDescription d = c.targetDescription();
            assertEquals("riscv:rv64", d.architecture());
            for (String r : List.of("zero", "ra", "t6", "pc", "ft0", "ft11", "fcsr", "sstatus", "satp", "vsstatus",
                    "vsatp", "vstvec", "hstatus", "hgatp", "htinst", "htval", "hedeleg")) {
                assertNotNull(d.register(r), r);
            }
            // gdb numbers CSRs 65 + the CSR number.
            assertEquals(65 + 0x280, d.register("vsatp").regnum());
            assertEquals(65 + 0x600, d.register("hstatus").regnum());
            c.readRegisterLong(1, d.register("hgatp").regnum());
            long a1 = c.readRegisterLong(1, d.register("a1").regnum());
            assertTrue(a1 != 0, "a1 holds the FDT address at entry");
        } finally {
            vm.terminate();
        }
    }
}
