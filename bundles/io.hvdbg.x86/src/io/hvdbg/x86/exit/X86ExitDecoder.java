/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

import static io.hvdbg.x86.exit.X86ExitEncoding.*;

import java.util.List;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitDecoder;
import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.StateRow;

/**
 * Decodes VMX and SVM exits: attributes for exit-breakpoint conditions, one-line descriptions,
 * and the other vendor's encoding of the same event.
 */
public final class X86ExitDecoder implements ExitDecoder {
    private final boolean svm;

    private X86ExitDecoder(boolean svm) {
        this.svm = svm;
    }

    static void install() {
        ExitDecoders.register(ExitSource.VMX, new X86ExitDecoder(false));
        ExitDecoders.register(ExitSource.SVM, new X86ExitDecoder(true));
    }

    @Override
    public long attribute(ExitReason reason, long q, long info2, long context, ExitAttribute attribute) {
        X86ExitKind k = X86ExitKind.of(reason);
        if (k == null) {
            return -1;
        }
        return switch (attribute) {
            case PORT -> k == X86ExitKind.IO ? ioPort(q) : -1;
            case MSR -> k == X86ExitKind.MSR_READ || k == X86ExitKind.MSR_WRITE ? context & 0xFFFF_FFFFL : -1;
            case CPUID_LEAF -> k == X86ExitKind.CPUID ? context & 0xFFFF_FFFFL : -1;
            case GPA -> k == X86ExitKind.EPT_VIOLATION ? info2 : -1;
            case CR -> k == X86ExitKind.CR_ACCESS ? vmxCrNumber(svm ? context : q) : -1;
            default -> -1;
        };
    }

    @Override
    public String describe(VmExit e) {
        X86ExitKind k = X86ExitKind.of(e.reason());
        long q = e.qualification();
        long c = e.context();
        if (k == null) {
            return e.reason().name();
        }
        return switch (k) {
            case IO -> {
                long vq = svm ? ioSvmToVmx(q, c) : q;
                boolean in = (vq & VMX_IO_IN) != 0;
                yield String.format("%s%s%s port 0x%x, %d byte%s", (vq & VMX_IO_REP) != 0 ? "REP " : "",
                        in ? "IN" : "OUT", (vq & VMX_IO_STRING) != 0 ? "S" : "", ioPort(vq), vmxIoSize(vq),
                        vmxIoSize(vq) == 1 ? "" : "s");
            }
            case CPUID -> String.format("CPUID leaf 0x%x subleaf 0x%x", c & 0xFFFF_FFFFL, c >>> 32);
            case MSR_READ, MSR_WRITE -> String.format("%s MSR 0x%x", isMsrWrite(e) ? "WRMSR" : "RDMSR", c & 0xFFFF_FFFFL);
            case CR_ACCESS -> {
                long vq = svm ? c : q;
                int cr = vmxCrNumber(vq);
                yield switch (vmxCrAccessType(vq)) {
                    case CR_MOV_TO -> "MOV to CR" + cr + " from " + GPR[vmxCrGpr(vq)];
                    case CR_MOV_FROM -> "MOV from CR" + cr + " to " + GPR[vmxCrGpr(vq)];
                    case CR_CLTS -> "CLTS";
                    default -> String.format("LMSW 0x%x", (vq >>> 16) & 0xFFFF);
                };
            }
            case INVLPG -> String.format("INVLPG 0x%x", q);
            case EPT_VIOLATION -> {
                boolean write = svm ? (q & NPF_WRITE) != 0 : (q & EPT_WRITE) != 0;
                boolean fetch = svm ? (q & NPF_FETCH) != 0 : (q & EPT_FETCH) != 0;
                yield String.format("%s gpa 0x%x", write ? "write" : fetch ? "fetch" : "read", e.info2());
            }
            case EXCEPTION -> String.format("exception vector %d error 0x%x", exceptionVector(c), c >>> 32);
            case TASK_SWITCH -> String.format("task switch to TSS 0x%x by %s%s", q & 0xFFFF, TASK_SOURCES[(int) c & 3],
                    (c & 4) != 0 ? String.format(" error 0x%x", c >>> 32) : "");
            default -> e.reason().name();
        };
    }

    private boolean isMsrWrite(VmExit e) {
        return svm ? e.qualification() == 1 : X86ExitKind.of(e.reason()) == X86ExitKind.MSR_WRITE;
    }

    private static final String[] TASK_SOURCES = {"CALL", "IRET", "JMP", "task gate"};

    /** SVM EXITINFO2 of a task switch from the context (source | has-error << 2 | error << 32). */
    private static long taskSwitchInfo2(long c) {
        int source = (int) c & 3;
        return (source == 1 ? 1L << 36 : 0) | (source == 2 ? 1L << 38 : 0)
                | ((c & 4) != 0 ? (1L << 44) | (c >>> 32) : 0);
    }

    private static final String[] GPR = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15"};

    @Override
    public NativeEncoding encodingFor(VmExit e, ExitSource other) {
        X86ExitKind k = X86ExitKind.of(e.reason());
        if (k == null || other == e.reason().source() || (other != ExitSource.VMX && other != ExitSource.SVM)) {
            return null;
        }
        long q = e.qualification();
        long i2 = e.info2();
        long c = e.context();
        if (!svm) {
            return switch (k) {
                case IO -> svmEncoding(k.svmReason(), ioVmxToSvm(q, c), ioNextRip(e.pc(), c));
                case CR_ACCESS -> svmEncoding(X86ExitKind.svmCrReason(vmxCrNumber(q), crWrites(q)), svmCrInfo1(q), 0);
                case MSR_READ, MSR_WRITE -> svmEncoding(k.svmReason(), k == X86ExitKind.MSR_WRITE ? 1 : 0, 0);
                case INVLPG -> svmEncoding(k.svmReason(), q, 0);
                case EPT_VIOLATION -> svmEncoding(k.svmReason(), eptToNpf(q), i2);
                case EXCEPTION -> {
                    int v = exceptionVector(c);
                    yield svmEncoding(X86ExitKind.svmExceptionReason(v), c >>> 32, v == 14 ? q : 0);
                }
                case TASK_SWITCH -> svmEncoding(k.svmReason(), q & 0xFFFF, taskSwitchInfo2(c));
                default -> svmEncoding(k.svmReason(), 0, 0);
            };
        }
        return switch (k) {
            case IO -> vmxEncoding(k.vmxReason(), ioSvmToVmx(q, c), 0);
            case CR_ACCESS -> vmxEncoding(k.vmxReason(), c, 0);
            case MSR_READ, MSR_WRITE -> vmxEncoding((q == 1 ? X86ExitKind.MSR_WRITE : X86ExitKind.MSR_READ).vmxReason(), 0, 0);
            case INVLPG -> vmxEncoding(k.vmxReason(), q, 0);
            case EPT_VIOLATION -> vmxEncoding(k.vmxReason(), npfToEpt(q), i2);
            case EXCEPTION -> vmxEncoding(k.vmxReason(), exceptionVector(c) == 14 ? i2 : 0, 0);
            case TASK_SWITCH -> vmxEncoding(k.vmxReason(), (q & 0xFFFF) | ((c & 3) << 30), 0);
            default -> vmxEncoding(k.vmxReason(), 0, 0);
        };
    }

    @Override
    public List<StateRow> lastExitRows(VmExit e) {
        return X86LastExitRows.rows(e);
    }

    private static NativeEncoding svmEncoding(ExitReason r, long info1, long info2) {
        return new NativeEncoding(ExitSource.SVM, r.code(), r.name(), info1, info2);
    }

    private static NativeEncoding vmxEncoding(ExitReason r, long q, long gpa) {
        return new NativeEncoding(ExitSource.VMX, r.code(), r.name(), q, gpa);
    }
}
