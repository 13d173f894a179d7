/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.exit;

import java.util.List;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitDecoder;
import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.riscv.cpu.Trap;

/**
 * The traps into HS-mode a RISC-V hypervisor sees from a guest (KVM's kvm_riscv_vcpu_exit
 * cases), keyed by their native scause. Recorded fields: qualification = stval (faulting guest
 * virtual address, or the instruction bits of a virtual-instruction trap), info2 = htinst,
 * context = SBI extension | function &lt;&lt; 32 for ecalls and the guest-physical address
 * (htval &lt;&lt; 2 | stval &amp; 3) for guest-page faults.
 */
public final class RiscvExits {
    private RiscvExits() {
    }

    public static final ExitReason VS_ECALL = ExitReasons.register(ExitSource.RISCV, Trap.ECALL_VS,
            "VIRTUAL_SUPERVISOR_ECALL", ExitCategory.HYPERCALL);
    public static final ExitReason FETCH_GUEST_PAGE_FAULT = ExitReasons.register(ExitSource.RISCV,
            Trap.INSN_GUEST_PAGE_FAULT, "INSTRUCTION_GUEST_PAGE_FAULT", ExitCategory.NESTED_PAGE_FAULT);
    public static final ExitReason LOAD_GUEST_PAGE_FAULT = ExitReasons.register(ExitSource.RISCV,
            Trap.LOAD_GUEST_PAGE_FAULT, "LOAD_GUEST_PAGE_FAULT", ExitCategory.MMIO);
    public static final ExitReason STORE_GUEST_PAGE_FAULT = ExitReasons.register(ExitSource.RISCV,
            Trap.STORE_GUEST_PAGE_FAULT, "STORE_GUEST_PAGE_FAULT", ExitCategory.MMIO);
    public static final ExitReason VIRTUAL_INSTRUCTION = ExitReasons.register(ExitSource.RISCV, Trap.VIRTUAL_INSN,
            "VIRTUAL_INSTRUCTION", ExitCategory.VIRTUAL_INSTRUCTION);
    /**
     * A virtual-instruction trap on WFI (hstatus.VTW): the same native scause 22, kept apart so
     * it carries the shared HALT category (a breakpoint on HALT/WFI means the same as on x86 HLT).
     * Its registry code has bit 32 set to tell it from other virtual instructions; the native
     * encoding reports scause 22.
     */
    public static final ExitReason WFI = ExitReasons.register(ExitSource.RISCV, WFI_CODE(), "WFI", ExitCategory.HALT);
    /** Host software interrupt while the guest ran: another vCPU kicked this one (SBI IPI, remote fence). */
    public static final ExitReason SOFTWARE_INTERRUPT = ExitReasons.register(ExitSource.RISCV, Trap.INTERRUPT | 1,
            "SUPERVISOR_SOFTWARE_INTERRUPT", ExitCategory.EXTERNAL_INTERRUPT);
    /** Host timer interrupt: the SBI timer the guest programmed expired. */
    public static final ExitReason TIMER_INTERRUPT = ExitReasons.register(ExitSource.RISCV, Trap.INTERRUPT | 5,
            "SUPERVISOR_TIMER_INTERRUPT", ExitCategory.EXTERNAL_INTERRUPT);
    /** Host external interrupt: a device interrupt for the guest (PLIC line raised). */
    public static final ExitReason EXTERNAL_INTERRUPT = ExitReasons.register(ExitSource.RISCV, Trap.INTERRUPT | 9,
            "SUPERVISOR_EXTERNAL_INTERRUPT", ExitCategory.EXTERNAL_INTERRUPT);
    /** Any other exception that reached HS-mode because hedeleg does not delegate it. */
    public static final ExitReason ILLEGAL_INSTRUCTION = ExitReasons.register(ExitSource.RISCV, Trap.ILLEGAL_INSN,
            "ILLEGAL_INSTRUCTION", ExitCategory.EXCEPTION);
    public static final ExitReason LOAD_ACCESS_FAULT = ExitReasons.register(ExitSource.RISCV, Trap.LOAD_ACCESS,
            "LOAD_ACCESS_FAULT", ExitCategory.EXCEPTION);
    public static final ExitReason STORE_ACCESS_FAULT = ExitReasons.register(ExitSource.RISCV, Trap.STORE_ACCESS,
            "STORE_ACCESS_FAULT", ExitCategory.EXCEPTION);
    public static final ExitReason LOAD_MISALIGNED = ExitReasons.register(ExitSource.RISCV, Trap.LOAD_MISALIGNED,
            "LOAD_ADDRESS_MISALIGNED", ExitCategory.EXCEPTION);
    public static final ExitReason STORE_MISALIGNED = ExitReasons.register(ExitSource.RISCV, Trap.STORE_MISALIGNED,
            "STORE_ADDRESS_MISALIGNED", ExitCategory.EXCEPTION);

    private static long WFI_CODE() {
        return Trap.VIRTUAL_INSN | (1L << 32);
    }

    /** The native scause of a reason (the WFI reason shares scause 22). */
    public static long scause(ExitReason r) {
        return r == WFI ? Trap.VIRTUAL_INSN : r.code();
    }

    /** The registered reason for an scause value, or null. */
    public static ExitReason forCause(long scause) {
        return ExitReasons.find(ExitSource.RISCV, scause);
    }

    static {
        ExitDecoders.register(ExitSource.RISCV, new Decoder());
    }

    /** Forces class initialisation (registration of reasons and the decoder). */
    public static void init() {
    }

    /** Names of the SBI extensions this hypervisor knows, for exit descriptions. */
    public static String sbiExtensionName(long ext) {
        return switch ((int) ext) {
            case 0x10 -> "BASE";
            case 0x54494D45 -> "TIME";
            case 0x735049 -> "IPI";
            case 0x52464E43 -> "RFENCE";
            case 0x48534D -> "HSM";
            case 0x53525354 -> "SRST";
            case 0x4442434E -> "DBCN";
            case 0x53555350 -> "SUSP";
            case 0x504D55 -> "PMU";
            case 0x00 -> "legacy set_timer";
            case 0x01 -> "legacy console_putchar";
            case 0x02 -> "legacy console_getchar";
            case 0x08 -> "legacy shutdown";
            default -> String.format("0x%x", ext);
        };
    }

    private static final class Decoder implements ExitDecoder {
        @Override
        public long attribute(ExitReason reason, long qualification, long info2, long context, ExitAttribute attribute) {
            long code = reason.code();
            boolean gpf = code == Trap.LOAD_GUEST_PAGE_FAULT || code == Trap.STORE_GUEST_PAGE_FAULT
                    || code == Trap.INSN_GUEST_PAGE_FAULT;
            return switch (attribute) {
                case SBI_EXTENSION -> code == Trap.ECALL_VS ? context & 0xFFFF_FFFFL : -1;
                case SBI_FUNCTION -> code == Trap.ECALL_VS ? context >>> 32 : -1;
                case GPA -> gpf ? context : -1;
                default -> -1;
            };
        }

        @Override
        public String describe(VmExit e) {
            long code = e.reason().code();
            if (code == Trap.ECALL_VS) {
                return String.format("SBI ecall ext %s fid %d", sbiExtensionName(e.context() & 0xFFFF_FFFFL),
                        e.context() >>> 32);
            }
            if (code == Trap.LOAD_GUEST_PAGE_FAULT || code == Trap.STORE_GUEST_PAGE_FAULT
                    || code == Trap.INSN_GUEST_PAGE_FAULT) {
                return String.format("%s gpa 0x%x gva 0x%x htval 0x%x htinst 0x%x", e.reason().name(), e.context(),
                        e.qualification(), e.context() >>> 2, e.info2());
            }
            if (code == Trap.VIRTUAL_INSN || e.reason() == WFI) {
                return String.format("VIRTUAL_INSTRUCTION (scause 22) insn 0x%08x%s", e.qualification(),
                        e.qualification() == 0x10500073L ? " (wfi)" : "");
            }
            return String.format("%s scause 0x%x stval 0x%x", e.reason().name(), code, e.qualification());
        }

        @Override
        public NativeEncoding nativeEncoding(VmExit e) {
            long code = e.reason().code();
            boolean gpf = code == Trap.LOAD_GUEST_PAGE_FAULT || code == Trap.STORE_GUEST_PAGE_FAULT
                    || code == Trap.INSN_GUEST_PAGE_FAULT;
            // info1 = htval for guest-page faults, stval otherwise; info2 = htinst.
            return new NativeEncoding(ExitSource.RISCV, scause(e.reason()), e.reason().name(),
                    gpf ? e.context() >>> 2 : e.qualification(), e.info2());
        }

        @Override
        public List<StateRow> lastExitRows(VmExit e) {
            return RiscvLastExitRows.rows(e);
        }
    }
}
