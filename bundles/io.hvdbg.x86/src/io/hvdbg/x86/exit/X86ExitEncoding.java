/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

/**
 * Bit layouts of exit qualifications (Intel SDM Vol. 3C, 28.2.1) and EXITINFO1/EXITINFO2 (AMD
 * APM Vol. 2, 15.10-15.12, 15.25.6), and the conversions between them. Each exit's
 * {@code context} holds what one vendor's encoding lacks, so either view can be rebuilt from a
 * recorded exit.
 */
public final class X86ExitEncoding {
    private X86ExitEncoding() {
    }

    // ---- I/O (SDM Table 28-5, APM Figure 15-2) -------------------------------------------------

    public static final long VMX_IO_IN = 1L << 3;
    public static final long VMX_IO_STRING = 1L << 4;
    public static final long VMX_IO_REP = 1L << 5;
    public static final long VMX_IO_IMMEDIATE = 1L << 6;

    public static final long SVM_IO_IN = 1L << 0;
    public static final long SVM_IO_STRING = 1L << 2;
    public static final long SVM_IO_REP = 1L << 3;
    public static final int SVM_IO_SIZE_SHIFT = 4;
    public static final int SVM_IO_ADDR_SHIFT = 7;
    public static final int SVM_IO_SEG_SHIFT = 10;

    /** VMX exit qualification of IN/OUT/INS/OUTS. */
    public static long vmxIo(int port, int size, boolean in, boolean string, boolean rep, boolean immediate) {
        return (size - 1) | (in ? VMX_IO_IN : 0) | (string ? VMX_IO_STRING : 0) | (rep ? VMX_IO_REP : 0)
                | (immediate ? VMX_IO_IMMEDIATE : 0) | ((long) (port & 0xFFFF) << 16);
    }

    /** SVM IOIO EXITINFO1; addressSize 2, 4 or 8; segment 0-5 (ES CS SS DS FS GS) for string forms. */
    public static long svmIo(int port, int size, boolean in, boolean string, boolean rep, int addressSize, int segment) {
        int sz = size == 1 ? 1 : size == 2 ? 2 : 4;
        int a = addressSize == 2 ? 1 : addressSize == 4 ? 2 : 4;
        return (in ? SVM_IO_IN : 0) | (string ? SVM_IO_STRING : 0) | (rep ? SVM_IO_REP : 0)
                | ((long) sz << SVM_IO_SIZE_SHIFT) | ((long) a << SVM_IO_ADDR_SHIFT)
                | ((long) (segment & 7) << SVM_IO_SEG_SHIFT) | ((long) (port & 0xFFFF) << 16);
    }

    /** Context of an IO exit: instruction length, address size, segment, immediate-port form. */
    public static long ioContext(int instructionLength, int addressSize, int segment, boolean immediate) {
        return (instructionLength & 0xF) | ((long) addressSize << 8) | ((long) (segment & 7) << 12)
                | (immediate ? 1L << 16 : 0);
    }

    public static int ioPort(long vmxOrSvmInfo) {
        return (int) (vmxOrSvmInfo >>> 16) & 0xFFFF;
    }

    public static int vmxIoSize(long q) {
        return (int) (q & 7) + 1;
    }

    public static int svmIoSize(long info1) {
        int sz = (int) (info1 >>> SVM_IO_SIZE_SHIFT) & 7;
        return sz == 1 ? 1 : sz == 2 ? 2 : 4;
    }

    /** The SVM EXITINFO1 of an exit recorded with a VMX qualification. */
    public static long ioVmxToSvm(long q, long context) {
        return svmIo(ioPort(q), vmxIoSize(q), (q & VMX_IO_IN) != 0, (q & VMX_IO_STRING) != 0, (q & VMX_IO_REP) != 0,
                (int) (context >>> 8) & 0xF, (int) (context >>> 12) & 7);
    }

    /** SVM EXITINFO2 of IOIO: the RIP of the next instruction. */
    public static long ioNextRip(long pc, long context) {
        return pc + (context & 0xF);
    }

    /** The VMX qualification of an exit recorded with an SVM EXITINFO1. */
    public static long ioSvmToVmx(long info1, long context) {
        return vmxIo(ioPort(info1), svmIoSize(info1), (info1 & SVM_IO_IN) != 0, (info1 & SVM_IO_STRING) != 0,
                (info1 & SVM_IO_REP) != 0, (context & (1L << 16)) != 0);
    }

    // ---- control registers (SDM Table 28-3, APM 15.8.1) ----------------------------------------

    public static final int CR_MOV_TO = 0;
    public static final int CR_MOV_FROM = 1;
    public static final int CR_CLTS = 2;
    public static final int CR_LMSW = 3;
    /** EXITINFO1 bit 63: the intercept was a MOV CRx (decode assists), with the GPR in bits 3:0. */
    public static final long SVM_CR_MOV = 1L << 63;

    public static long vmxCr(int cr, int accessType, int gpr, int lmswSource) {
        return (cr & 15) | ((long) (accessType & 3) << 4) | ((long) (gpr & 15) << 8)
                | ((long) (lmswSource & 0xFFFF) << 16);
    }

    public static int vmxCrNumber(long q) {
        return (int) (q & 15);
    }

    public static int vmxCrAccessType(long q) {
        return (int) (q >>> 4) & 3;
    }

    public static int vmxCrGpr(long q) {
        return (int) (q >>> 8) & 15;
    }

    /** SVM EXITINFO1 of a CR intercept given its VMX qualification. */
    public static long svmCrInfo1(long vmxQualification) {
        int t = vmxCrAccessType(vmxQualification);
        return t == CR_MOV_TO || t == CR_MOV_FROM ? SVM_CR_MOV | vmxCrGpr(vmxQualification) : 0;
    }

    /** True if the access writes the register (MOV to CR, CLTS, LMSW). */
    public static boolean crWrites(long vmxQualification) {
        return vmxCrAccessType(vmxQualification) != CR_MOV_FROM;
    }

    // ---- EPT violation / NPF (SDM Table 28-7, APM 15.25.6) ------------------------------------

    public static final long EPT_READ = 1L << 0;
    public static final long EPT_WRITE = 1L << 1;
    public static final long EPT_FETCH = 1L << 2;
    public static final long EPT_LINEAR_VALID = 1L << 7;
    public static final long EPT_FINAL_TRANSLATION = 1L << 8;
    /** Advanced EPT exit information: the linear address is a user-mode address. */
    public static final long EPT_USER = 1L << 9;

    public static final long NPF_PRESENT = 1L << 0;
    public static final long NPF_WRITE = 1L << 1;
    public static final long NPF_USER = 1L << 2;
    public static final long NPF_FETCH = 1L << 4;
    public static final long NPF_FINAL_GPA = 1L << 32;
    public static final long NPF_PAGE_TABLE = 1L << 33;

    /** VMX qualification of an access to guest-physical memory that has no EPT mapping (MMIO). */
    public static long vmxEpt(boolean write, boolean fetch, boolean user) {
        return (write ? EPT_WRITE : fetch ? EPT_FETCH : EPT_READ) | EPT_LINEAR_VALID | EPT_FINAL_TRANSLATION
                | (user ? EPT_USER : 0);
    }

    /** SVM NPF EXITINFO1 (a #PF-style error code) of the same access. */
    public static long svmNpf(boolean write, boolean fetch, boolean user) {
        return (write ? NPF_WRITE : 0) | (fetch ? NPF_FETCH : 0) | (user ? NPF_USER : 0) | NPF_FINAL_GPA;
    }

    public static long eptToNpf(long q) {
        return svmNpf((q & EPT_WRITE) != 0, (q & EPT_FETCH) != 0, (q & EPT_USER) != 0)
                | ((q & EPT_FINAL_TRANSLATION) == 0 ? NPF_PAGE_TABLE ^ NPF_FINAL_GPA : 0)
                | ((q & 0x38) != 0 ? NPF_PRESENT : 0);
    }

    public static long npfToEpt(long info1) {
        return vmxEpt((info1 & NPF_WRITE) != 0, (info1 & NPF_FETCH) != 0, (info1 & NPF_USER) != 0)
                & ((info1 & NPF_FINAL_GPA) != 0 ? -1L : ~EPT_FINAL_TRANSLATION);
    }

    // ---- exceptions (SDM 25.9.2 interruption information, APM 15.12) --------------------------

    /** Context of an exception exit: VMX VM-exit interruption information | error code << 32. */
    public static long exceptionContext(int vector, boolean hasErrorCode, int errorCode) {
        int type = vector == 2 ? 2 : (vector == 3 || vector == 4) ? 6 : 3;
        long info = (vector & 0xFF) | (type << 8) | (hasErrorCode ? 1 << 11 : 0) | (1L << 31);
        return info | ((long) errorCode << 32);
    }

    public static int exceptionVector(long context) {
        return (int) context & 0xFF;
    }
}
