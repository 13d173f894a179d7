/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.exit;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.riscv.cpu.Trap;

/**
 * The last trap of a RISC-V vCPU into HS-mode as state rows: scause, stval, htval and htinst
 * the way the hypervisor's trap handler read them (privileged spec 18.6.2-18.6.3), decoded.
 */
final class RiscvLastExitRows {
    private RiscvLastExitRows() {
    }

    private static final String G = LastExitRows.GROUP;

    static List<StateRow> rows(VmExit e) {
        long scause = RiscvExits.scause(e.reason());
        boolean gpf = isGuestPageFault(scause);
        List<StateRow> rows = new ArrayList<>();
        rows.add(LastExitRows.reasonRow(e));
        rows.add(new StateRow(G, "scause", scause, scauseText(scause)));
        rows.add(new StateRow(G, "stval", e.qualification(), stvalText(e, scause)));
        long htval = gpf ? e.context() >>> 2 : 0;
        rows.add(new StateRow(G, "htval", htval, gpf
                ? String.format("guest-physical address >> 2 (gpa 0x%x)", e.context())
                : "0: written only for guest-page faults"));
        rows.add(new StateRow(G, "htinst", e.info2(), htinstText(e.info2())));
        rows.add(new StateRow(G, "pc", e.pc(), "sepc: guest pc of the trapping instruction"));
        return rows;
    }

    static boolean isGuestPageFault(long scause) {
        return scause == Trap.INSN_GUEST_PAGE_FAULT || scause == Trap.LOAD_GUEST_PAGE_FAULT
                || scause == Trap.STORE_GUEST_PAGE_FAULT;
    }

    static String scauseText(long scause) {
        long code = scause & ~Trap.INTERRUPT;
        if (scause < 0) {
            return "interrupt " + code + ": " + switch ((int) code) {
                case 1 -> "supervisor software";
                case 5 -> "supervisor timer";
                case 9 -> "supervisor external";
                default -> "other";
            };
        }
        return "exception " + code + ": " + switch ((int) code) {
            case Trap.ILLEGAL_INSN -> "illegal instruction";
            case Trap.LOAD_MISALIGNED -> "load address misaligned";
            case Trap.LOAD_ACCESS -> "load access fault";
            case Trap.STORE_MISALIGNED -> "store/AMO address misaligned";
            case Trap.STORE_ACCESS -> "store/AMO access fault";
            case Trap.ECALL_VS -> "environment call from VS-mode";
            case Trap.INSN_GUEST_PAGE_FAULT -> "instruction guest-page fault";
            case Trap.LOAD_GUEST_PAGE_FAULT -> "load guest-page fault";
            case Trap.VIRTUAL_INSN -> "virtual instruction";
            case Trap.STORE_GUEST_PAGE_FAULT -> "store/AMO guest-page fault";
            default -> "other";
        };
    }

    private static String stvalText(VmExit e, long scause) {
        long q = e.qualification();
        if (isGuestPageFault(scause)) {
            return String.format("guest-virtual address 0x%x", q);
        }
        if (scause == Trap.VIRTUAL_INSN || scause == Trap.ILLEGAL_INSN) {
            return String.format("instruction bits 0x%08x%s", q, q == 0x10500073L ? " (wfi)" : "");
        }
        if (scause == Trap.ECALL_VS) {
            return String.format("0 (SBI ext %s fid %d in a7/a6)", RiscvExits.sbiExtensionName(e.context() & 0xFFFF_FFFFL),
                    e.context() >>> 32);
        }
        return q == 0 ? "0" : String.format("address 0x%x", q);
    }

    /** htinst per privileged spec 18.6.3: zero, a transformed instruction, or a pseudoinstruction. */
    static String htinstText(long htinst) {
        if (htinst == 0) {
            return "0: no transformed instruction";
        }
        if (htinst == 0x2000 || htinst == 0x3000) {
            return "pseudoinstruction: implicit " + (htinst == 0x2000 ? 32 : 64) + "-bit read of a VS-stage page table";
        }
        if (htinst == 0x2020 || htinst == 0x3020) {
            return "pseudoinstruction: implicit " + (htinst == 0x2020 ? 32 : 64) + "-bit write of a VS-stage page table";
        }
        if ((htinst & 1) == 0) {
            return "custom value";
        }
        String from = (htinst & 2) == 0 ? " (from a compressed instruction)" : "";
        int opcode = (int) (htinst | 2) & 0x7F;
        int funct3 = (int) (htinst >>> 12) & 7;
        String width = switch (funct3 & 3) {
            case 0 -> "byte";
            case 1 -> "halfword";
            case 2 -> "word";
            default -> "doubleword";
        };
        return switch (opcode) {
            case 0x03 -> "transformed load " + width + ((funct3 & 4) != 0 ? " unsigned" : "") + " to x"
                    + ((htinst >>> 7) & 31) + from;
            case 0x23 -> "transformed store " + width + " from x" + ((htinst >>> 20) & 31) + from;
            case 0x07 -> "transformed float load to f" + ((htinst >>> 7) & 31) + from;
            case 0x27 -> "transformed float store from f" + ((htinst >>> 20) & 31) + from;
            case 0x2F -> "transformed AMO " + width + from;
            default -> String.format("transformed instruction 0x%08x%s", htinst, from);
        };
    }
}
