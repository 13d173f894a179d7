/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.x86.exit.X86ExitEncoding;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * Exit encodings against the vendors' manuals: Intel SDM Vol. 3C Appendix C (basic exit
 * reasons) and Tables 28-3/28-5/28-7 (qualifications); AMD APM Vol. 2 Appendix C (exit codes),
 * Figure 15-2 (IOIO EXITINFO1) and 15.25.6 (NPF).
 */
class ExitEncodingTest {
    @Test
    void reasonsCarryTheManualsNumbersAndShareACategory() {
        X86ExitKind.registerAll();
        int[][] expected = {
            // kind ordinal is looked up by name below; {vmx, svm}
        };
        assertEquals(0, expected.length);
        check(X86ExitKind.CPUID, 10, 0x72, ExitCategory.CPUID);
        check(X86ExitKind.HLT, 12, 0x78, ExitCategory.HALT);
        check(X86ExitKind.IO, 30, 0x7B, ExitCategory.IO);
        check(X86ExitKind.MSR_READ, 31, 0x7C, ExitCategory.MSR);
        check(X86ExitKind.MSR_WRITE, 32, 0x7C, ExitCategory.MSR);
        check(X86ExitKind.INVLPG, 14, 0x79, ExitCategory.TLB_INVAL);
        check(X86ExitKind.VMCALL, 18, 0x81, ExitCategory.HYPERCALL);
        check(X86ExitKind.EPT_VIOLATION, 48, 0x400, ExitCategory.NESTED_PAGE_FAULT);
        check(X86ExitKind.TRIPLE_FAULT, 2, 0x7F, ExitCategory.SHUTDOWN);
        check(X86ExitKind.EXTERNAL_INTERRUPT, 1, 0x60, ExitCategory.EXTERNAL_INTERRUPT);
        check(X86ExitKind.INTERRUPT_WINDOW, 7, 0x64, ExitCategory.INTERRUPT_WINDOW);
        check(X86ExitKind.NMI_WINDOW, 8, 0x74, ExitCategory.INTERRUPT_WINDOW);
        check(X86ExitKind.TASK_SWITCH, 9, 0x7D, ExitCategory.TASK_SWITCH);
        check(X86ExitKind.PAUSE, 40, 0x77, ExitCategory.PAUSE);
        check(X86ExitKind.WBINVD, 54, 0x89, ExitCategory.CACHE_INVAL);
        check(X86ExitKind.INVD, 13, 0x76, ExitCategory.CACHE_INVAL);
        check(X86ExitKind.XSETBV, 55, 0x8D, ExitCategory.XSETBV);
        check(X86ExitKind.INVPCID, 58, 0xA2, ExitCategory.TLB_INVAL);
        assertEquals(0x4, X86ExitKind.svmCrReason(4, false).code());
        assertEquals("VMEXIT_CR4_READ", X86ExitKind.svmCrReason(4, false).name());
        assertEquals(0x14, X86ExitKind.svmCrReason(4, true).code());
        assertEquals(0x40 + 14, X86ExitKind.svmExceptionReason(14).code());
        assertEquals("VMEXIT_EXCP_PF", X86ExitKind.svmExceptionReason(14).name());
        assertSame(X86ExitKind.CPUID.vmxReason(), ExitReasons.findByName("CPUID"));
        assertSame(X86ExitKind.EPT_VIOLATION.svmReason(), ExitReasons.findByName("NPF"));
    }

    private static void check(X86ExitKind k, int vmx, int svm, ExitCategory category) {
        ExitReason v = k.vmxReason();
        ExitReason s = k.svmReason();
        assertEquals(ExitSource.VMX, v.source());
        assertEquals(vmx, v.code(), k + " VMX code");
        assertEquals(ExitSource.SVM, s.source());
        assertEquals(svm, s.code(), k + " SVM code");
        assertEquals(category, v.category());
        assertEquals(category, s.category());
    }

    @Test
    void ioQualificationFollowsSdmTable28_5() {
        // OUT DX, AL to 0x3f8: size 0 (1 byte), direction 0, not string, DX operand, port in 31:16
        assertEquals(0x03F8_0000L, X86ExitEncoding.vmxIo(0x3F8, 1, false, false, false, false));
        // IN EAX, 0x71 (immediate): size 3 (4 bytes), bit 3 IN, bit 6 immediate
        assertEquals(0x0071_0000L | 3 | 8 | 0x40, X86ExitEncoding.vmxIo(0x71, 4, true, false, false, true));
        // REP OUTSW to 0x1f0: size 1, string bit 4, REP bit 5
        assertEquals(0x01F0_0000L | 1 | 0x10 | 0x20, X86ExitEncoding.vmxIo(0x1F0, 2, false, true, true, false));
    }

    @Test
    void svmIoioExitInfo1FollowsApmFigure15_2() {
        // IN AL, DX from 0x3fd, 64-bit addressing: TYPE=1 (bit 0), SZ8 (bit 4), A64 (bit 9), port 31:16
        assertEquals(0x03FD_0000L | 1 | 0x10 | 0x200, X86ExitEncoding.svmIo(0x3FD, 1, true, false, false, 8, 0));
        // REP INSD with 32-bit addressing, ES: STR bit 2, REP bit 3, SZ32 bit 6, A32 bit 8, SEG=0
        assertEquals(0x0060_0000L | 1 | 4 | 8 | 0x40 | 0x100, X86ExitEncoding.svmIo(0x60, 4, true, true, true, 4, 0));
        // OUTSB from DS (segment 3 in bits 12:10), 16-bit addressing A16 bit 7
        assertEquals(0x0080_0000L | 4 | 0x10 | 0x80 | (3 << 10), X86ExitEncoding.svmIo(0x80, 1, false, true, false, 2, 3));
    }

    @Test
    void crAccessQualificationFollowsSdmTable28_3() {
        // MOV to CR4 from RBX: CR number 3:0 = 4, access type 5:4 = 0, GPR 11:8 = 3
        long q = X86ExitEncoding.vmxCr(4, X86ExitEncoding.CR_MOV_TO, 3, 0);
        assertEquals(0x304, q);
        // MOV from CR3 to R12: type 1
        assertEquals(0xC13, X86ExitEncoding.vmxCr(3, X86ExitEncoding.CR_MOV_FROM, 12, 0));
        // LMSW 0x1 : type 3, source data 31:16
        assertEquals(0x0001_0030L, X86ExitEncoding.vmxCr(0, X86ExitEncoding.CR_LMSW, 0, 1));
        // SVM with decode assists: EXITINFO1 bit 63 = MOV CRx, GPR in 3:0
        assertEquals(0x8000_0000_0000_0003L, X86ExitEncoding.svmCrInfo1(q));
        assertEquals(0, X86ExitEncoding.svmCrInfo1(X86ExitEncoding.vmxCr(0, X86ExitEncoding.CR_CLTS, 0, 0)));
    }

    @Test
    void eptViolationAndNpfDescribeTheSameAccess() {
        // write to an unmapped GPA with a valid linear address: bits 1, 7, 8
        long ept = X86ExitEncoding.vmxEpt(true, false, false);
        assertEquals(0x2 | 0x80 | 0x100, ept);
        // NPF error code: W (bit 1), final-translation GPA (bit 32), not present (bit 0 clear)
        long npf = X86ExitEncoding.svmNpf(true, false, false);
        assertEquals(0x1_0000_0002L, npf);
        assertEquals(npf, X86ExitEncoding.eptToNpf(ept));
        assertEquals(ept, X86ExitEncoding.npfToEpt(npf));
        // a user-mode fetch
        assertEquals(0x1_0000_0014L, X86ExitEncoding.svmNpf(false, true, true));
    }

    @Test
    void oneRecordedExitGivesTheOtherVendorsEncoding() {
        X86ExitKind.registerAll();
        // OUT DX, AL to 0x3f8 recorded on Intel: the AMD view is IOIO with EXITINFO2 = next RIP
        long q = X86ExitEncoding.vmxIo(0x3F8, 1, false, false, false, false);
        long ctx = X86ExitEncoding.ioContext(1, 8, 3, false);
        VmExit vmx = new VmExit(1, 0, 100, 0, X86ExitKind.IO.vmxReason(), 0x1000, q, 0, ctx);
        NativeEncoding svm = vmx.encoding(ExitSource.SVM);
        assertNotNull(svm);
        assertEquals(0x7B, svm.code());
        assertEquals(0x03F8_0000L | 0x10 | 0x200 | (3 << 10), svm.info1());
        assertEquals(0x1001, svm.info2());
        assertEquals(0x3F8, vmx.attribute(ExitAttribute.PORT));
        assertEquals("OUT port 0x3f8, 1 byte", vmx.describe());
        // and back
        VmExit amd = new VmExit(2, 0, 100, 0, X86ExitKind.IO.svmReason(), 0x1000, svm.info1(), svm.info2(), ctx);
        assertEquals(q, amd.encoding(ExitSource.VMX).info1());
        assertEquals(0x3F8, amd.attribute(ExitAttribute.PORT));

        // WRMSR on AMD (one exit code, EXITINFO1 = 1) is EXIT_REASON_MSR_WRITE on Intel
        VmExit wrmsr = new VmExit(3, 0, 1, 0, X86ExitKind.MSR_WRITE.svmReason(), 0, 1, 0, 0xC0000080L);
        assertEquals(32, wrmsr.encoding(ExitSource.VMX).code());
        assertEquals(0xC0000080L, wrmsr.attribute(ExitAttribute.MSR));

        // MOV to CR4 on Intel is VMEXIT_CR4_WRITE on AMD
        long crq = X86ExitEncoding.vmxCr(4, X86ExitEncoding.CR_MOV_TO, 3, 0);
        VmExit cr = new VmExit(4, 0, 1, 0, X86ExitKind.CR_ACCESS.vmxReason(), 0, crq, 0, crq);
        NativeEncoding crSvm = cr.encoding(ExitSource.SVM);
        assertEquals(0x14, crSvm.code());
        assertEquals(0x8000_0000_0000_0003L, crSvm.info1());
        assertEquals(4, cr.attribute(ExitAttribute.CR));
    }
}
