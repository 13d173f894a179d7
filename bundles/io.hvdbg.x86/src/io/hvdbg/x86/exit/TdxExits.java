/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.x86.cpu.TdxModule;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * A TD guest's VM exits: TDG.VP.VMCALL (TDCALL leaf 0, R10 = 0) with the sub-function in R11,
 * numbered as the GHCI spec and KVM's {@code handle_tdvmcall} do (instruction sub-functions use
 * the VMX basic exit reason, MapGPA 0x10001), arguments in R12-R15, status back in R10 and a
 * result in R11. One handler per sub-function in the same table as the VMX/SVM handlers.
 */
public final class TdxExits {
    public static final int CPUID = 10, HLT = 12, IO = 30, RDMSR = 31, WRMSR = 32, MMIO = 48;
    public static final int MAP_GPA = 0x10001;
    /** Registered for sub-functions the host does not know (and for vendor-specific calls, R10 != 0). */
    public static final long UNKNOWN = 0xFFFF_FFFFL;

    private static final ExitReason R_CPUID = reg(CPUID, "Instruction.CPUID");
    private static final ExitReason R_HLT = reg(HLT, "Instruction.HLT");
    private static final ExitReason R_IO = reg(IO, "Instruction.IO");
    private static final ExitReason R_RDMSR = reg(RDMSR, "Instruction.RDMSR");
    private static final ExitReason R_WRMSR = reg(WRMSR, "Instruction.WRMSR");
    private static final ExitReason R_MMIO = reg(MMIO, "#VE.RequestMMIO");
    private static final ExitReason R_MAP_GPA = reg(MAP_GPA, "MapGPA");
    private static final ExitReason R_UNKNOWN = reg(UNKNOWN, "unknown");

    private TdxExits() {
    }

    private static ExitReason reg(long code, String sub) {
        return ExitReasons.register(ExitSource.TDX, code, "TDCALL TDG.VP.VMCALL<" + sub + ">", ExitCategory.TDCALL);
    }

    /** The reason of a sub-function (-1 or an unknown one: the generic reason). */
    public static ExitReason reason(long subFunction) {
        ExitReason r = subFunction < 0 ? null : ExitReasons.find(ExitSource.TDX, subFunction);
        return r == null ? R_UNKNOWN : r;
    }

    static void install(ExitHandlerTable<X86Vcpu> t) {
        t.on(R_CPUID, (v, e) -> done(v, e, () -> {
            int[] out = new int[4];
            v.cpuidProvider().cpuid((int) v.regs[12], (int) v.regs[13], v.cr4, v.apic().id(), out);
            for (int i = 0; i < 4; i++) {
                v.regs[12 + i] = out[i] & 0xFFFF_FFFFL;
            }
            return true;
        }));
        t.on(R_HLT, (v, e) -> done(v, e, () -> {
            v.halt(); // kvm_emulate_halt_noskip: sleeps until an interrupt is pending
            return true;
        }));
        t.on(R_IO, (v, e) -> done(v, e, () -> {
            int size = (int) v.regs[12];
            int port = (int) v.regs[14] & 0xFFFF;
            if (size != 1 && size != 2 && size != 4) {
                return false;
            }
            if (v.regs[13] == 0) {
                v.regs[11] = v.vm().ioPorts().in(port, size) & ((1L << (8 * size)) - 1);
            } else {
                v.vm().ioPorts().out(port, size, (int) v.regs[15]);
            }
            return true;
        }));
        t.on(R_RDMSR, (v, e) -> done(v, e, () -> {
            Long value = v.readMsr((int) v.regs[12]);
            if (value == null) {
                return false;
            }
            v.regs[11] = value;
            return true;
        }));
        t.on(R_WRMSR, (v, e) -> done(v, e, () -> v.writeMsr((int) v.regs[12], v.regs[13])));
        t.on(R_MMIO, (v, e) -> done(v, e, () -> {
            int size = (int) v.regs[12];
            long gpa = v.regs[14] & ~TdxModule.SHARED_BIT;
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                return false;
            }
            if (v.regs[13] == 0) {
                v.regs[11] = v.vm().memory().mmioRead(gpa, size);
            } else {
                v.vm().memory().mmioWrite(gpa, size, v.regs[15]);
            }
            return true;
        }));
        t.on(R_MAP_GPA, (v, e) -> done(v, e, () -> {
            v.tdxModule().mapGpa(v.regs[12], v.regs[13]);
            return true;
        }));
        t.on(R_UNKNOWN, (v, e) -> done(v, e, () -> false));
    }

    private interface Call {
        boolean run();
    }

    /** Completes the TDCALL: TDX_SUCCESS in RAX, the TDG.VP.VMCALL status in R10, RIP past it. */
    private static int done(X86Vcpu v, ExitInfo e, Call call) {
        boolean ok = call.run();
        v.regs[X86Vcpu.RAX] = TdxModule.TDX_SUCCESS;
        v.regs[10] = ok ? TdxModule.TDVMCALL_STATUS_SUCCESS : TdxModule.TDVMCALL_STATUS_INVALID_OPERAND;
        v.skipInstruction(e);
        return ExitHandler.RESUME;
    }
}
