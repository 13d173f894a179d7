/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * Architectural state of one RISC-V hart running a guest with V=1: the guest's registers and
 * VS-level CSRs, plus the hypervisor-owned H-extension CSRs KVM programs for it (hstatus,
 * hedeleg, hideleg, hvip, hie, hcounteren, henvcfg, hgatp, htimedelta) and the HS-mode trap
 * CSRs written by the last trap into the hypervisor (scause, stval, htval, htinst, sepc).
 * Plain public fields: the interpreter's hot path reads them directly.
 */
public final class Hart {
    public static final int PRIV_U = 0;
    public static final int PRIV_S = 1;

    /** x0-x31 plus a write-only sink at index 32 (decoded writes to x0 go there). */
    public final long[] x = new long[33];
    /** f0-f31 as raw bits; single-precision values are NaN-boxed. */
    public final long[] f = new long[32];
    public long pc;
    /** Guest privilege with V=1: {@link #PRIV_S} (VS-mode) or {@link #PRIV_U} (VU-mode). */
    public int priv = PRIV_S;
    public int fflags;
    public int frm;

    // VS-level CSRs (what the guest's s* accesses reach).
    public long vsstatus = Csr.SSTATUS_UXL_64;
    public long vstvec;
    public long vsscratch;
    public long vsepc;
    public long vscause;
    public long vstval;
    public long vsatp;
    public long vstimecmp = -1L;
    // Guest CSRs that are not VS-redirected; KVM context-switches them per vCPU.
    public long senvcfg;
    public long scounteren;

    // Hypervisor-owned CSRs (set up like KVM's kvm_riscv_vcpu_setup_config / vcpu_load).
    public long hstatus = Csr.HSTATUS_VSXL_64 | Csr.HSTATUS_SPV | Csr.HSTATUS_SPVP | Csr.HSTATUS_VTW;
    public long hedeleg = (1L << Trap.INSN_MISALIGNED) | (1L << Trap.ILLEGAL_INSN) | (1L << Trap.BREAKPOINT)
            | (1L << Trap.ECALL_U) | (1L << Trap.INSN_PAGE_FAULT) | (1L << Trap.LOAD_PAGE_FAULT)
            | (1L << Trap.STORE_PAGE_FAULT);
    public long hideleg = Csr.VS_IRQS;
    /** hie: the VS interrupt enables (the guest's sie, shifted). */
    public long hie;
    /** hvip: VS interrupts the hypervisor injects (plus VSSIP the guest writes through sip). */
    public long hvip;
    public long hcounteren = 0x7; // CY, TM, IR readable without exits
    public long henvcfg;
    public long hgatp;
    public long htimedelta;

    // HS-mode trap CSRs of the last trap into the hypervisor (a VM exit).
    public long hsScause;
    public long hsStval;
    public long hsSepc;
    public long htval;
    public long htinst;

    // LR/SC reservation (guest-physical address).
    public boolean resValid;
    public long resAddr;
    public int resSize;
    public long resValue;
    public long resEpoch;

    /** vsstatus.FS != Off: FP instructions and CSRs are enabled. */
    public boolean fpEnabled() {
        return (vsstatus & Csr.SSTATUS_FS) != 0;
    }

    /** Marks the FP state dirty (FS = Dirty, SD = 1), as hardware does after an FP write. */
    public void fpDirty() {
        vsstatus |= Csr.SSTATUS_FS | Csr.SSTATUS_SD;
    }

    /** Timer tick count the guest sees in {@code time} for a guest time in ns (10 MHz timebase). */
    public static long ticks(long timeNs) {
        return timeNs / Timebase.NS_PER_TICK;
    }

    /** Resets to the boot state of a hart KVM starts: VS-mode, all zero, paging off. */
    public void reset(long entry, long a0, long a1) {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        x[10] = a0;
        x[11] = a1;
        pc = entry;
        priv = PRIV_S;
        fflags = 0;
        frm = 0;
        vsstatus = Csr.SSTATUS_UXL_64;
        vstvec = vsscratch = vsepc = vscause = vstval = vsatp = 0;
        vstimecmp = -1L;
        senvcfg = scounteren = 0;
        hie = 0;
        hvip = 0;
        resValid = false;
    }
}
