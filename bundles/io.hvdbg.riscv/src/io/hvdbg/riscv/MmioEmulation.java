/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.riscv.cpu.Trap;

/**
 * Guest-page faults on addresses no memslot backs, emulated as MMIO the way KVM's
 * kvm_riscv_vcpu_mmio_load/store do: the access width, sign and register come from the
 * transformed instruction in htinst (bit 1 clear = the guest's instruction was compressed).
 * Accesses that cannot be decoded (atomics, page-table walks through device memory) become an
 * access fault in the guest.
 */
final class MmioEmulation {
    private MmioEmulation() {
    }

    static int load(RiscvVcpu v, ExitInfo e) {
        int insn = (int) e.info2;
        long gpa = e.context;
        int opcode = insn & 0x7F | 2;
        if (insn == 0 || insn == Trap.PSEUDO_PTE_READ || (opcode != 0x03 && opcode != 0x07)) {
            return accessFault(v, e, Trap.LOAD_ACCESS);
        }
        int f3 = (insn >>> 12) & 7;
        int rd = (insn >>> 7) & 31;
        int size = 1 << (f3 & 3);
        long value = v.vm().memory().mmioRead(gpa, size);
        if (opcode == 0x07) {
            v.hart().f[rd] = size == 4 ? 0xFFFF_FFFF_0000_0000L | (value & 0xFFFF_FFFFL) : value;
            v.hart().fpDirty();
        } else if (rd != 0) {
            long r = switch (f3) {
                case 0 -> (byte) value;
                case 1 -> (short) value;
                case 2 -> (int) value;
                case 4 -> value & 0xFF;
                case 5 -> value & 0xFFFF;
                case 6 -> value & 0xFFFF_FFFFL;
                default -> value;
            };
            v.hart().x[rd] = r;
        }
        v.hart().pc = e.pc + ((insn & 2) != 0 ? 4 : 2);
        return ExitHandler.RESUME;
    }

    static int store(RiscvVcpu v, ExitInfo e) {
        int insn = (int) e.info2;
        long gpa = e.context;
        int opcode = insn & 0x7F | 2;
        if (insn == 0 || insn == Trap.PSEUDO_PTE_WRITE || (opcode != 0x23 && opcode != 0x27)) {
            return accessFault(v, e, Trap.STORE_ACCESS);
        }
        int f3 = (insn >>> 12) & 7;
        int rs2 = (insn >>> 20) & 31;
        int size = 1 << (f3 & 3);
        long value = opcode == 0x27 ? v.hart().f[rs2] : v.hart().x[rs2];
        v.vm().memory().mmioWrite(gpa, size, value);
        v.hart().pc = e.pc + ((insn & 2) != 0 ? 4 : 2);
        return ExitHandler.RESUME;
    }

    private static int accessFault(RiscvVcpu v, ExitInfo e, int cause) {
        v.hart().pc = e.pc;
        v.interpreter().redirectTrap(cause, e.qualification);
        return ExitHandler.RESUME;
    }
}
