/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * The Intel TDX module's side of one trust-domain vCPU: which intercepts it handles inside the
 * TD (CR accesses, TLB instructions, XSETBV, the MSRs it virtualizes), which it turns into a
 * virtualization exception (#VE) for the guest to forward with TDG.VP.VMCALL (CPUID, HLT, port
 * I/O, other MSRs, MMIO), the #VE information the guest fetches with TDG.VP.VEINFO.GET, and the
 * host's lack of access to the TD's registers and private memory unless the TD has the DEBUG
 * attribute.
 */
public final class TdxModule implements GuestModeHook {
    /** The #VE vector. */
    public static final int VE = 20;
    /** TDCALL leaves (RAX). */
    public static final int TDG_VP_VMCALL = 0, TDG_VP_INFO = 1, TDG_VP_VEINFO_GET = 3;
    /** TDCALL completion status (RAX). */
    public static final long TDX_SUCCESS = 0, TDX_OPERAND_INVALID = 0xC000_0100_0000_0000L,
            TDX_NO_VALID_VE_INFO = 0xC000_0704_0000_0000L;
    /** TDG.VP.VMCALL status (R10). */
    public static final long TDVMCALL_STATUS_SUCCESS = 0, TDVMCALL_STATUS_INVALID_OPERAND = 0x8000_0000_0000_0000L;
    /** Guest-physical address width and its shared bit (GPAW 48: bit 47). */
    public static final int GPAW = 48;
    public static final long SHARED_BIT = 1L << (GPAW - 1);

    static final int EXIT = 0, NATIVE = 1, VIRTUALIZATION_EXCEPTION = 2;

    private final boolean debug;
    private final int vcpu;
    private final int vcpus;
    private boolean veValid;
    private long veReason, veQualification, veGla, veGpa, veInstruction;
    private long virtualizationExceptions;
    private final List<long[]> shared = new ArrayList<>();

    public TdxModule(boolean debug, int vcpu, int vcpus) {
        this.debug = debug;
        this.vcpu = vcpu;
        this.vcpus = vcpus;
    }

    public boolean debug() {
        return debug;
    }

    /** What happens to an intercept inside the TD (Intel TDX module spec, "TD-exit" and "#VE" cases). */
    int disposition(ExitReason reason, long context) {
        if (reason == X86ExitKind.CPUID.vmxReason() || reason == X86ExitKind.HLT.vmxReason()
                || reason == X86ExitKind.IO.vmxReason() || reason == X86ExitKind.EPT_VIOLATION.vmxReason()) {
            return VIRTUALIZATION_EXCEPTION;
        }
        if (reason == X86ExitKind.MSR_READ.vmxReason() || reason == X86ExitKind.MSR_WRITE.vmxReason()) {
            return nativeMsr((int) context) ? NATIVE : VIRTUALIZATION_EXCEPTION;
        }
        if (reason == X86ExitKind.CR_ACCESS.vmxReason() || reason == X86ExitKind.INVLPG.vmxReason()
                || reason == X86ExitKind.INVPCID.vmxReason() || reason == X86ExitKind.XSETBV.vmxReason()
                || reason == X86ExitKind.PAUSE.vmxReason() || reason == X86ExitKind.WBINVD.vmxReason()) {
            return NATIVE; // the TD's own state: the host never sees these
        }
        return EXIT;
    }

    /** MSRs the CPU/TDX module handles for the TD (context-switched or virtualized), no #VE. */
    static boolean nativeMsr(int msr) {
        return switch (msr) {
            case 0x10, 0x174, 0x175, 0x176, 0x277, 0x6E0, 0xC0000080, 0xC0000081, 0xC0000082, 0xC0000083, 0xC0000084,
                0xC0000100, 0xC0000101, 0xC0000102, 0xC0000103 -> true;
            default -> msr >= 0x800 && msr <= 0x8FF; // x2APIC: virtualized by the CPU for the TD
        };
    }

    /** Latches the #VE information (exit reason, qualification, GLA, GPA, instruction length). */
    boolean latchVe(long reason, long qualification, long gla, long gpa, int instructionLength) {
        if (veValid) {
            return false; // a #VE before the last one was read: the CPU delivers #DF instead
        }
        veValid = true;
        veReason = reason;
        veQualification = qualification;
        veGla = gla;
        veGpa = gpa;
        veInstruction = instructionLength & 0xFFFF_FFFFL;
        virtualizationExceptions++;
        return true;
    }

    /** TDG.VP.VEINFO.GET into RCX, RDX, R8, R9, R10; returns the TDCALL status. */
    long veInfoGet(long[] regs) {
        if (!veValid) {
            return TDX_NO_VALID_VE_INFO;
        }
        regs[1] = veReason;
        regs[2] = veQualification;
        regs[8] = veGla;
        regs[9] = veGpa;
        regs[10] = veInstruction;
        veValid = false;
        return TDX_SUCCESS;
    }

    /** TDG.VP.INFO into RCX (GPAW), RDX (attributes), R8 (vCPU counts), R9 (vCPU index). */
    long vpInfo(long[] regs) {
        regs[1] = GPAW;
        regs[2] = debug ? 1 : 0;
        regs[8] = vcpus | (long) vcpus << 32;
        regs[9] = vcpu;
        regs[10] = 0;
        regs[11] = 0;
        return TDX_SUCCESS;
    }

    public long virtualizationExceptions() {
        return virtualizationExceptions;
    }

    /** MapGPA: converts [gpa, gpa+size) to shared (shared bit set) or back to private. */
    public void mapGpa(long gpa, long size) {
        long base = gpa & ~SHARED_BIT;
        shared.removeIf(r -> r[0] == base && r[1] == size);
        if ((gpa & SHARED_BIT) != 0) {
            shared.add(new long[] {base, size});
        }
    }

    public boolean isShared(long gpa) {
        long g = gpa & ~SHARED_BIT;
        for (long[] r : shared) {
            if (g >= r[0] && g - r[0] < r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkRegisterAccess(int regnum) {
        if (!debug) {
            throw new GuestStateProtectedException("vCPU " + vcpu + " is an Intel TDX trust domain without the DEBUG"
                    + " attribute: the host cannot read or write its registers (run with tdx-debug=on to debug it)");
        }
    }

    /** Debugger memory access through the TD's page tables, which live in private memory. */
    void checkMemoryAccess() {
        if (!debug) {
            throw new GuestStateProtectedException("vCPU " + vcpu + " is an Intel TDX trust domain without the DEBUG"
                    + " attribute: its private memory (and the page tables in it) cannot be read by the host"
                    + " (run with tdx-debug=on to debug it)");
        }
    }
}
