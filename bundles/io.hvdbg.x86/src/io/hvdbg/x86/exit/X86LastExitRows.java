/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

import static io.hvdbg.x86.exit.X86ExitEncoding.*;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;

/**
 * The last exit of an x86 vCPU as state rows, in both vendors' encodings whichever vendor the
 * VM models: Intel's basic exit reason with the exit qualification (SDM Vol. 3C, Table 28-1
 * ff.) next to AMD's exit code with EXITINFO1/EXITINFO2 (APM Vol. 2, 15.7 ff.). Each field is
 * decoded from that vendor's own bit layout, so the two rows check each other.
 */
final class X86LastExitRows {
    private X86LastExitRows() {
    }

    private static final String[] GPR = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15"};
    private static final String G = LastExitRows.GROUP;

    static List<StateRow> rows(VmExit e) {
        List<StateRow> rows = new ArrayList<>();
        rows.add(LastExitRows.reasonRow(e));
        ExitSource own = e.reason().source();
        NativeEncoding vmx = e.encoding(ExitSource.VMX);
        NativeEncoding svm = e.encoding(ExitSource.SVM);
        if (vmx != null) {
            String how = own == ExitSource.VMX ? "native" : "as Intel VMX reports it";
            rows.add(new StateRow(G, "vmx exit reason", vmx.code(),
                    vmx.name() + " (basic exit reason " + vmx.code() + ", " + how + ")"));
            rows.add(new StateRow(G, "vmx qualification", vmx.info1(), vmxQualification(vmx)));
            if (vmx.code() == X86ExitKind.EPT_VIOLATION.vmxReason().code()) {
                rows.add(new StateRow(G, "vmx guest-physical", vmx.info2(), "guest-physical address"));
            }
        } else {
            rows.add(new StateRow(G, "vmx exit reason", 0, "no Intel VMX encoding for this exit"));
        }
        if (svm != null) {
            String how = own == ExitSource.SVM ? "native" : "as AMD SVM reports it";
            rows.add(new StateRow(G, "svm exit code", svm.code(),
                    svm.name() + " (exit code 0x" + Long.toHexString(svm.code()) + ", " + how + ")"));
            rows.add(new StateRow(G, "svm exitinfo1", svm.info1(), svmExitInfo1(svm)));
            rows.add(new StateRow(G, "svm exitinfo2", svm.info2(), svmExitInfo2(svm)));
        } else {
            rows.add(new StateRow(G, "svm exit code", 0, "no AMD SVM encoding for this exit"));
        }
        rows.add(new StateRow(G, "pc", e.pc(), "guest rip of the exiting instruction"));
        return rows;
    }

    /** The exit qualification in the layout of its basic exit reason (SDM Tables 28-1 to 28-7). */
    static String vmxQualification(NativeEncoding n) {
        long q = n.info1();
        X86ExitKind k = kindOfVmx(n.code());
        if (k == null) {
            return q == 0 ? "none" : String.format("0x%x", q);
        }
        return switch (k) {
            case IO -> String.format("%s%s port 0x%x, %d byte%s, %s%s", (q & VMX_IO_IN) != 0 ? "IN" : "OUT",
                    (q & VMX_IO_STRING) != 0 ? "S" : "", ioPort(q), vmxIoSize(q), vmxIoSize(q) == 1 ? "" : "s",
                    (q & VMX_IO_IMMEDIATE) != 0 ? "immediate port" : "port in DX", (q & VMX_IO_REP) != 0 ? ", REP" : "");
            case CR_ACCESS -> switch (vmxCrAccessType(q)) {
                case CR_MOV_TO -> "MOV to CR" + vmxCrNumber(q) + " from " + GPR[vmxCrGpr(q)];
                case CR_MOV_FROM -> "MOV from CR" + vmxCrNumber(q) + " to " + GPR[vmxCrGpr(q)];
                case CR_CLTS -> "CLTS";
                default -> String.format("LMSW source 0x%x", (q >>> 16) & 0xFFFF);
            };
            case EPT_VIOLATION -> String.format("%s%s%s%s%s", (q & EPT_READ) != 0 ? "read" : "",
                    (q & EPT_WRITE) != 0 ? "write" : "", (q & EPT_FETCH) != 0 ? "fetch" : "",
                    (q & 0x38) == 0 ? ", not mapped in EPT" : ", EPT entry permits " + rwx(q >>> 3),
                    (q & EPT_LINEAR_VALID) == 0 ? ""
                            : (q & EPT_FINAL_TRANSLATION) != 0 ? ", linear address valid, final translation"
                                    : ", linear address valid, guest page-table walk")
                    + ((q & EPT_USER) != 0 ? ", user-mode address" : "");
            case INVLPG -> String.format("linear address 0x%x", q);
            case EXCEPTION -> q == 0 ? "none (no #PF or #DB)" : String.format("#PF linear address 0x%x or #DB DR6 bits", q);
            default -> q == 0 ? "none defined for this reason" : String.format("0x%x", q);
        };
    }

    /** EXITINFO1 in the layout of its exit code (APM 15.8.1, 15.10.2, 15.11, 15.12, 15.25.6). */
    static String svmExitInfo1(NativeEncoding n) {
        long i = n.info1();
        long code = n.code();
        if (code < 0x20) {
            return (i & SVM_CR_MOV) != 0 ? "MOV CR with " + GPR[(int) (i & 15)] : "not a MOV CR (CLTS, LMSW or no decode assist)";
        }
        if (code >= 0x40 && code < 0x60) {
            return String.format("error code 0x%x", i);
        }
        X86ExitKind k = kindOfSvm(code);
        if (k == null) {
            return i == 0 ? "not used" : String.format("0x%x", i);
        }
        return switch (k) {
            case IO -> String.format("%s%s port 0x%x, %d-bit data, %d-bit address%s", (i & SVM_IO_IN) != 0 ? "IN" : "OUT",
                    (i & SVM_IO_STRING) != 0 ? "S" : "", ioPort(i), 8 * svmIoSize(i), svmAddressBits(i),
                    (i & SVM_IO_REP) != 0 ? ", REP" : "");
            case MSR_READ, MSR_WRITE -> i == 1 ? "WRMSR" : i == 0 ? "RDMSR" : String.format("0x%x", i);
            case EPT_VIOLATION -> String.format("%s, %s, %s%s, %s", (i & NPF_PRESENT) != 0 ? "present" : "not present",
                    (i & NPF_WRITE) != 0 ? "write" : "read", (i & NPF_USER) != 0 ? "user" : "supervisor",
                    (i & NPF_FETCH) != 0 ? ", fetch" : "",
                    (i & NPF_PAGE_TABLE) != 0 ? "guest page-table walk" : "final guest-physical address");
            case INVLPG -> String.format("linear address 0x%x", i);
            default -> i == 0 ? "not used" : String.format("0x%x", i);
        };
    }

    static String svmExitInfo2(NativeEncoding n) {
        long i = n.info2();
        long code = n.code();
        if (code == 0x4E) {
            return String.format("faulting address 0x%x", i);
        }
        X86ExitKind k = code < 0x20 || (code >= 0x40 && code < 0x60) ? null : kindOfSvm(code);
        if (k == X86ExitKind.IO) {
            return String.format("next rip 0x%x", i);
        }
        if (k == X86ExitKind.EPT_VIOLATION) {
            return String.format("guest-physical address 0x%x", i);
        }
        return i == 0 ? "not used" : String.format("0x%x", i);
    }

    private static int svmAddressBits(long i) {
        int a = (int) (i >>> SVM_IO_ADDR_SHIFT) & 7;
        return a == 1 ? 16 : a == 2 ? 32 : 64;
    }

    private static String rwx(long bits) {
        return ((bits & 1) != 0 ? "r" : "-") + ((bits & 2) != 0 ? "w" : "-") + ((bits & 4) != 0 ? "x" : "-");
    }

    private static X86ExitKind kindOfVmx(long code) {
        for (X86ExitKind k : X86ExitKind.values()) {
            if (k.vmxReason().code() == code) {
                return k;
            }
        }
        return null;
    }

    private static X86ExitKind kindOfSvm(long code) {
        for (X86ExitKind k : X86ExitKind.values()) {
            if (k != X86ExitKind.CR_ACCESS && k != X86ExitKind.EXCEPTION && k.svmReason().code() == code) {
                return k;
            }
        }
        return null;
    }
}
