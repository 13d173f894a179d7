/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.testarch;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * Register sets of the test architecture, numbered as gdb numbers them for x86-64 and
 * RISC-V (sparse CSR numbers at 65 + csr), so real gdb accepts the target descriptions.
 */
public final class TestRegisters {
    public static final int RAX = 0;
    public static final int RBP = 6;
    public static final int RSP = 7;
    public static final int RIP = 16;
    public static final int EFLAGS = 17;
    public static final int ST0 = 24;
    public static final int XMM0 = 40;
    public static final int MXCSR = 56;
    public static final int FS_BASE = 57;
    public static final int CR0 = 59;
    public static final int CR4 = 62;
    public static final int EFER = 64;

    /** RISC-V: x0..x31 = 0..31, pc = 32, f0..f31 = 33..64, CSR n = 65 + n. */
    public static final int RV_PC = 32;
    public static final int RV_CSR_BASE = 65;

    private TestRegisters() {
    }

    public static List<RegisterDescriptor> of(Architecture a) {
        return a == Architecture.X86_64 ? x86() : riscv();
    }

    static List<RegisterDescriptor> x86() {
        List<RegisterDescriptor> r = new ArrayList<>();
        String core = "org.gnu.gdb.i386.core";
        String[] gprs = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15"};
        for (int i = 0; i < gprs.length; i++) {
            String type = i == 6 || i == 7 ? "data_ptr" : "int64";
            r.add(new RegisterDescriptor(gprs[i], i, 64, type, "general", core));
        }
        r.add(new RegisterDescriptor("rip", 16, 64, "code_ptr", "general", core));
        r.add(new RegisterDescriptor("eflags", 17, 32, "i386_eflags", "general", core));
        String[] segs = {"cs", "ss", "ds", "es", "fs", "gs"};
        for (int i = 0; i < segs.length; i++) {
            r.add(new RegisterDescriptor(segs[i], 18 + i, 32, "int32", "general", core));
        }
        for (int i = 0; i < 8; i++) {
            r.add(new RegisterDescriptor("st" + i, 24 + i, 80, "i387_ext", "float", core));
        }
        String[] fpc = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
        for (int i = 0; i < fpc.length; i++) {
            r.add(new RegisterDescriptor(fpc[i], 32 + i, 32, "int", "float", core));
        }
        String sse = "org.gnu.gdb.i386.sse";
        for (int i = 0; i < 16; i++) {
            r.add(new RegisterDescriptor("xmm" + i, 40 + i, 128, "vec128", "vector", sse));
        }
        r.add(new RegisterDescriptor("mxcsr", 56, 32, "i386_mxcsr", "vector", sse));
        String segments = "org.gnu.gdb.i386.segments";
        r.add(new RegisterDescriptor("fs_base", 57, 64, "int", "system", segments));
        r.add(new RegisterDescriptor("gs_base", 58, 64, "int", "system", segments));
        String sys = "org.hvdbg.x86.system";
        r.add(new RegisterDescriptor("cr0", 59, 64, "i386_cr0", "system", sys));
        r.add(new RegisterDescriptor("cr2", 60, 64, "int64", "system", sys));
        r.add(new RegisterDescriptor("cr3", 61, 64, "i386_cr3", "system", sys));
        r.add(new RegisterDescriptor("cr4", 62, 64, "i386_cr4", "system", sys));
        r.add(new RegisterDescriptor("cr8", 63, 64, "int64", "system", sys));
        r.add(new RegisterDescriptor("efer", 64, 64, "i386_efer", "system", sys));
        return r;
    }

    static final String[] RV_ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5",
        "t6"};

    static final String[] RV_F = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
        "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",
        "fs11", "ft8", "ft9", "ft10", "ft11"};

    /** CSRs of the test RISC-V vCPU: number and name, including the hypervisor ones the views show. */
    static final Object[][] RV_CSRS = {
        {0x001, "fflags", "org.gnu.gdb.riscv.fpu"}, {0x002, "frm", "org.gnu.gdb.riscv.fpu"},
        {0x003, "fcsr", "org.gnu.gdb.riscv.fpu"},
        {0x100, "sstatus", null}, {0x105, "stvec", null}, {0x140, "sscratch", null}, {0x141, "sepc", null},
        {0x142, "scause", null}, {0x143, "stval", null}, {0x180, "satp", null},
        {0x200, "vsstatus", null}, {0x280, "vsatp", null},
        {0x600, "hstatus", null}, {0x602, "hedeleg", null}, {0x603, "hideleg", null}, {0x643, "htval", null},
        {0x64a, "htinst", null}, {0x680, "hgatp", null},
    };

    static List<RegisterDescriptor> riscv() {
        List<RegisterDescriptor> r = new ArrayList<>();
        String cpu = "org.gnu.gdb.riscv.cpu";
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int";
            r.add(new RegisterDescriptor(RV_ABI[i], i, 64, type, "general", cpu));
        }
        r.add(new RegisterDescriptor("pc", 32, 64, "code_ptr", "general", cpu));
        String fpu = "org.gnu.gdb.riscv.fpu";
        for (int i = 0; i < 32; i++) {
            r.add(new RegisterDescriptor(RV_F[i], 33 + i, 64, "riscv_double", "float", fpu));
        }
        for (Object[] c : RV_CSRS) {
            int n = (Integer) c[0];
            String feature = c[2] != null ? (String) c[2] : "org.gnu.gdb.riscv.csr";
            String group = c[2] != null ? "float" : n >= 0x600 || (n >= 0x200 && n < 0x300) ? "hypervisor" : "csr";
            r.add(new RegisterDescriptor((String) c[1], RV_CSR_BASE + n, c[2] != null ? 32 : 64, "int", group, feature));
        }
        return r;
    }
}
