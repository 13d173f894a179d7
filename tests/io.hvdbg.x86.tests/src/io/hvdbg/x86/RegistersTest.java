/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.x86.cpu.X86Vcpu;

/** Registers use gdb's i386:x86-64 numbering and the layout the RSP stub's target description expects. */
class RegistersTest {
    @Test
    void gdbNumbering() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(VmConfig.defaults(Architecture.X86_64));
        X86Vcpu v = vm.x86(0);
        List<RegisterDescriptor> regs = v.registers();
        String[] first = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], v.registerByNumber(i).name());
        }
        assertEquals("st0", v.registerByNumber(24).name());
        assertEquals("fop", v.registerByNumber(39).name());
        assertEquals("xmm0", v.registerByNumber(40).name());
        assertEquals(128, v.registerByNumber(40).bitSize());
        assertEquals("mxcsr", v.registerByNumber(56).name());
        assertEquals("fs_base", v.registerByNumber(57).name());
        assertEquals("gs_base", v.registerByNumber(58).name());
        assertEquals("cr0", v.registerByNumber(59).name());
        assertEquals("efer", v.registerByNumber(64).name());
        String[] msrs = {"apic_base", "pat", "star", "lstar", "cstar", "sfmask", "kernel_gs_base", "tsc_aux",
            "sysenter_cs", "sysenter_esp", "sysenter_eip"};
        for (int i = 0; i < msrs.length; i++) {
            assertEquals(msrs[i], v.registerByNumber(65 + i).name());
            assertEquals(64, v.registerByNumber(65 + i).bitSize());
        }
        assertEquals(76, regs.size());
        assertEquals(0xFEE00900L, v.readRegister("apic_base"), "BSP, enabled, default base");
        assertEquals(0x0007040600070406L, v.readRegister("pat"));
        v.writeRegister(68, 0xFFFF_FFFF_8100_0000L);
        assertEquals(0xFFFF_FFFF_8100_0000L, v.lstar);
        v.writeRegister(75, 0x1234);
        assertEquals(0x1234, v.sysenterEip);
        for (int i = 0; i < regs.size(); i++) {
            assertEquals(i, regs.get(i).regnum(), "numbers are dense, in order");
        }
        // gdb's rbx (1) is hardware register 3; rcx (2) is 1
        v.regs[X86Vcpu.RBX] = 0x1234;
        v.regs[X86Vcpu.RCX] = 0x99;
        assertEquals(0x1234, v.readRegister(1));
        assertEquals(0x99, v.readRegister("rcx"));
        v.writeRegister(16, 0x100000);
        assertEquals(0x100000, v.pc());
        assertTrue((v.readRegister("eflags") & 2) != 0, "bit 1 of EFLAGS reads as one");
        byte[] xmm = new byte[16];
        xmm[15] = 7;
        v.writeRegisterBytes(41, xmm);
        assertEquals(7, v.readRegisterBytes(41)[15]);
        vm.terminate();
    }
}
