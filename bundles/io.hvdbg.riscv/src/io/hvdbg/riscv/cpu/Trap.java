/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/** Exception and interrupt cause codes (scause values), named as Linux's asm/csr.h names them. */
public final class Trap {
    private Trap() {
    }

    public static final int INSN_MISALIGNED = 0;
    public static final int INSN_ACCESS = 1;
    public static final int ILLEGAL_INSN = 2;
    public static final int BREAKPOINT = 3;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS = 7;
    public static final int ECALL_U = 8;
    public static final int ECALL_S = 9;
    public static final int ECALL_VS = 10;
    public static final int ECALL_M = 11;
    public static final int INSN_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;
    public static final int INSN_GUEST_PAGE_FAULT = 20;
    public static final int LOAD_GUEST_PAGE_FAULT = 21;
    public static final int VIRTUAL_INSN = 22;
    public static final int STORE_GUEST_PAGE_FAULT = 23;

    public static final long INTERRUPT = 1L << 63;

    /** Memory access kinds, used to pick fault causes. */
    public static final int ACCESS_FETCH = 0;
    public static final int ACCESS_LOAD = 1;
    public static final int ACCESS_STORE = 2;

    public static int pageFault(int access) {
        return access == ACCESS_FETCH ? INSN_PAGE_FAULT : access == ACCESS_LOAD ? LOAD_PAGE_FAULT : STORE_PAGE_FAULT;
    }

    public static int guestPageFault(int access) {
        return access == ACCESS_FETCH ? INSN_GUEST_PAGE_FAULT
                : access == ACCESS_LOAD ? LOAD_GUEST_PAGE_FAULT : STORE_GUEST_PAGE_FAULT;
    }

    /** htinst pseudo-instructions for a guest-page fault on an implicit VS-stage PTE access (64-bit PTEs). */
    public static final int PSEUDO_PTE_READ = 0x00003000;
    public static final int PSEUDO_PTE_WRITE = 0x00003020;
}
