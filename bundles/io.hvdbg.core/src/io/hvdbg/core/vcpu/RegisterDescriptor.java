/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.vcpu;

/**
 * One register as the debugger sees it.
 *
 * @param name    gdb name (rax, eflags, fs_base, cr4, mstatus, vsatp …)
 * @param regnum  gdb register number: the index in {@code g} packets and {@code p}/{@code P}
 * @param bitSize width in bits (64 for GPRs, 80 for x87, 128 for XMM)
 * @param type    gdb target-description type (int, code_ptr, data_ptr, i387_ext, vec128,
 *                ieee_double, i386_eflags …)
 * @param group   register group shown by debuggers (general, float, vector, system, csr …)
 * @param feature target-description feature that holds it (org.gnu.gdb.i386.core …)
 */
public record RegisterDescriptor(String name, int regnum, int bitSize, String type, String group, String feature) {
    public int byteSize() {
        return (bitSize + 7) / 8;
    }
}
