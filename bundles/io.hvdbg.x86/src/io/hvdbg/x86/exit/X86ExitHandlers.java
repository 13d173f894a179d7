/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

import static io.hvdbg.x86.exit.X86ExitEncoding.*;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * The hypervisor's side of each intercept, one handler per exit reason like KVM's
 * {@code kvm_vmx_exit_handlers[]} and {@code svm_exit_handlers[]}: the same handler serves the
 * VMX reason and the SVM code of one event.
 */
public final class X86ExitHandlers {
    private static final int GP = 13;

    private X86ExitHandlers() {
    }

    /** A table with every x86 handler installed for both vendors' reasons. */
    public static ExitHandlerTable<X86Vcpu> create() {
        ExitHandlerTable<X86Vcpu> t = new ExitHandlerTable<>(X86ExitHandlers::unexpected);
        TdxExits.install(t);
        both(t, X86ExitKind.CPUID, (v, e) -> {
            v.emulateCpuid();
            v.skipInstruction(e);
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.HLT, (v, e) -> {
            v.skipInstruction(e);
            v.halt();
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.IO, X86ExitHandlers::io);
        both(t, X86ExitKind.EPT_VIOLATION, X86ExitHandlers::mmio);
        both(t, X86ExitKind.MSR_READ, X86ExitHandlers::msr);
        both(t, X86ExitKind.MSR_WRITE, X86ExitHandlers::msr);
        both(t, X86ExitKind.CR_ACCESS, X86ExitHandlers::crAccess);
        for (int cr = 0; cr < 16; cr++) {
            t.on(X86ExitKind.svmCrReason(cr, false), X86ExitHandlers::crAccess);
            t.on(X86ExitKind.svmCrReason(cr, true), X86ExitHandlers::crAccess);
        }
        both(t, X86ExitKind.INVLPG, (v, e) -> {
            v.invalidatePage(e.qualification);
            v.skipInstruction(e);
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.INVPCID, (v, e) -> {
            int type = (int) (e.context & 0xFF);
            if (v.invpcid(type, v.invpcidDescriptorLow, v.invpcidDescriptorAddress)) {
                v.skipInstruction(e);
            }
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.VMCALL, (v, e) -> {
            v.regs[X86Vcpu.RAX] = -1000; // -KVM_ENOSYS: no hypercalls are offered yet
            v.skipInstruction(e);
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.XSETBV, (v, e) -> {
            long value = (v.regs[X86Vcpu.RAX] & 0xFFFF_FFFFL) | (v.regs[X86Vcpu.RDX] << 32);
            if (v.writeXcr((int) e.context, value)) {
                v.skipInstruction(e);
            } else {
                v.injectException(GP, 0);
            }
            return ExitHandler.RESUME;
        });
        ExitHandler<X86Vcpu> skip = (v, e) -> {
            v.skipInstruction(e);
            return ExitHandler.RESUME;
        };
        both(t, X86ExitKind.WBINVD, skip);
        both(t, X86ExitKind.INVD, skip);
        both(t, X86ExitKind.PAUSE, skip);
        both(t, X86ExitKind.EXTERNAL_INTERRUPT, (v, e) -> {
            v.apic().timerExpired(v.time());
            v.expirePlatformTimer();
            return ExitHandler.RESUME;
        });
        both(t, X86ExitKind.INTERRUPT_WINDOW, (v, e) -> ExitHandler.RESUME);
        both(t, X86ExitKind.NMI_WINDOW, (v, e) -> ExitHandler.RESUME);
        // KVM emulates every task switch (kvm_task_switch); the guest continues in the new task.
        both(t, X86ExitKind.TASK_SWITCH, (v, e) -> {
            v.completeTaskSwitch();
            return ExitHandler.RESUME;
        });
        // An intercepted exception is re-injected: the guest sees it as if it had not been intercepted.
        ExitHandler<X86Vcpu> reinject = (v, e) -> {
            v.injectException(exceptionVector(e.context), (int) (e.context >>> 32));
            return ExitHandler.RESUME;
        };
        t.on(X86ExitKind.EXCEPTION.vmxReason(), reinject);
        for (int vector = 0; vector < 32; vector++) {
            t.on(X86ExitKind.svmExceptionReason(vector), reinject);
        }
        both(t, X86ExitKind.TRIPLE_FAULT, (v, e) -> {
            v.vm().faultShutdown(v.index(), String.format("triple fault at rip 0x%x (the VM shut down)", e.pc));
            return ExitHandler.EXIT_TO_USER;
        });
        return t;
    }

    private static void both(ExitHandlerTable<X86Vcpu> t, X86ExitKind k, ExitHandler<X86Vcpu> h) {
        t.on(k.vmxReason(), h);
        t.on(k.svmReason(), h);
    }

    private static int unexpected(X86Vcpu v, ExitInfo e) {
        v.vm().fail(v.index(), "unexpected VM exit " + e.reason.name() + " at rip 0x" + Long.toHexString(e.pc));
        return ExitHandler.EXIT_TO_USER;
    }

    private static int io(X86Vcpu v, ExitInfo e) {
        VirtualMachine vm = v.vm();
        if (v.ioIn) {
            v.ioData = vm.ioPorts().in(v.ioPort, v.ioSize) & ((1L << (8 * v.ioSize)) - 1);
        } else {
            vm.ioPorts().out(v.ioPort, v.ioSize, (int) v.ioData);
        }
        v.ioDone = true;
        return ExitHandler.RESUME;
    }

    private static int mmio(X86Vcpu v, ExitInfo e) {
        VirtualMachine vm = v.vm();
        if (v.mmioWrite) {
            vm.memory().mmioWrite(v.mmioGpa, v.mmioSize, v.mmioData);
        } else {
            v.mmioData = vm.memory().mmioRead(v.mmioGpa, v.mmioSize);
        }
        v.mmioDone = true;
        return ExitHandler.RESUME;
    }

    private static int msr(X86Vcpu v, ExitInfo e) {
        boolean write = e.reason.source() == ExitSource.SVM ? e.qualification == 1
                : e.reason == X86ExitKind.MSR_WRITE.vmxReason();
        int index = (int) e.context;
        if (write) {
            long value = (v.regs[X86Vcpu.RAX] & 0xFFFF_FFFFL) | (v.regs[X86Vcpu.RDX] << 32);
            if (!v.writeMsr(index, value)) {
                v.injectException(GP, 0);
                return ExitHandler.RESUME;
            }
        } else {
            Long value = v.readMsr(index);
            if (value == null) {
                v.injectException(GP, 0);
                return ExitHandler.RESUME;
            }
            v.regs[X86Vcpu.RAX] = value & 0xFFFF_FFFFL;
            v.regs[X86Vcpu.RDX] = value >>> 32;
        }
        v.skipInstruction(e);
        return ExitHandler.RESUME;
    }

    /** Both vendors' CR exits carry the VMX-style qualification in the context. */
    private static int crAccess(X86Vcpu v, ExitInfo e) {
        long q = e.context;
        int cr = vmxCrNumber(q);
        switch (vmxCrAccessType(q)) {
            case CR_MOV_TO -> {
                long value = v.regs[vmxCrGpr(q)];
                if (v.codeMode() != 64) {
                    value &= 0xFFFF_FFFFL;
                }
                if (!v.writeCr(cr, value)) {
                    return ExitHandler.RESUME;
                }
            }
            case CR_MOV_FROM -> v.regs[vmxCrGpr(q)] = v.readCr(cr);
            case CR_CLTS -> v.writeCr(0, v.cr0 & ~X86Vcpu.CR0_TS);
            default -> {
                long src = (q >>> 16) & 0xF;
                long pe = v.cr0 & 1; // LMSW cannot clear PE
                if (!v.writeCr(0, (v.cr0 & ~0xFL) | src | pe)) {
                    return ExitHandler.RESUME;
                }
            }
        }
        v.skipInstruction(e);
        return ExitHandler.RESUME;
    }
}
