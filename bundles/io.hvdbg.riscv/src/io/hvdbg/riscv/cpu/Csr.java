/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/** CSR numbers (privileged spec) and bit fields this core uses. */
public final class Csr {
    private Csr() {
    }

    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;
    public static final int CYCLE = 0xC00;
    public static final int TIME = 0xC01;
    public static final int INSTRET = 0xC02;
    public static final int HPMCOUNTER3 = 0xC03;
    public static final int HPMCOUNTER31 = 0xC1F;

    public static final int SSTATUS = 0x100;
    public static final int SIE = 0x104;
    public static final int STVEC = 0x105;
    public static final int SCOUNTEREN = 0x106;
    public static final int SENVCFG = 0x10A;
    public static final int SSCRATCH = 0x140;
    public static final int SEPC = 0x141;
    public static final int SCAUSE = 0x142;
    public static final int STVAL = 0x143;
    public static final int SIP = 0x144;
    public static final int STIMECMP = 0x14D;
    public static final int SATP = 0x180;

    public static final int HSTATUS = 0x600;
    public static final int HEDELEG = 0x602;
    public static final int HIDELEG = 0x603;
    public static final int HIE = 0x604;
    public static final int HTIMEDELTA = 0x605;
    public static final int HCOUNTEREN = 0x606;
    public static final int HGEIE = 0x607;
    public static final int HENVCFG = 0x60A;
    public static final int HTVAL = 0x643;
    public static final int HIP = 0x644;
    public static final int HVIP = 0x645;
    public static final int HTINST = 0x64A;
    public static final int HGATP = 0x680;
    public static final int HGEIP = 0xE12;

    public static final int VSSTATUS = 0x200;
    public static final int VSIE = 0x204;
    public static final int VSTVEC = 0x205;
    public static final int VSSCRATCH = 0x240;
    public static final int VSEPC = 0x241;
    public static final int VSCAUSE = 0x242;
    public static final int VSTVAL = 0x243;
    public static final int VSIP = 0x244;
    public static final int VSTIMECMP = 0x24D;
    public static final int VSATP = 0x280;

    // The hypervisor's own trap CSRs (HS-mode view of the last exit).
    public static final int HS_SCAUSE = SCAUSE;

    // sstatus / vsstatus
    public static final long SSTATUS_SIE = 1L << 1;
    public static final long SSTATUS_SPIE = 1L << 5;
    public static final long SSTATUS_UBE = 1L << 6;
    public static final long SSTATUS_SPP = 1L << 8;
    public static final long SSTATUS_VS = 3L << 9;
    public static final long SSTATUS_FS = 3L << 13;
    public static final long SSTATUS_XS = 3L << 15;
    public static final long SSTATUS_SUM = 1L << 18;
    public static final long SSTATUS_MXR = 1L << 19;
    public static final long SSTATUS_UXL = 3L << 32;
    public static final long SSTATUS_UXL_64 = 2L << 32;
    public static final long SSTATUS_SD = 1L << 63;
    /** Bits the guest can write in vsstatus. */
    public static final long SSTATUS_WRITABLE = SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP | SSTATUS_FS | SSTATUS_SUM
            | SSTATUS_MXR;

    // hstatus
    public static final long HSTATUS_VSBE = 1L << 5;
    public static final long HSTATUS_GVA = 1L << 6;
    public static final long HSTATUS_SPV = 1L << 7;
    public static final long HSTATUS_SPVP = 1L << 8;
    public static final long HSTATUS_HU = 1L << 9;
    public static final long HSTATUS_VTVM = 1L << 20;
    public static final long HSTATUS_VTW = 1L << 21;
    public static final long HSTATUS_VTSR = 1L << 22;
    public static final long HSTATUS_VSXL_64 = 2L << 32;

    // interrupt bits (mip/hip numbering)
    public static final int IRQ_S_SOFT = 1;
    public static final int IRQ_VS_SOFT = 2;
    public static final int IRQ_S_TIMER = 5;
    public static final int IRQ_VS_TIMER = 6;
    public static final int IRQ_S_EXT = 9;
    public static final int IRQ_VS_EXT = 10;
    public static final int IRQ_S_GEXT = 12;
    public static final long VS_IRQS = (1L << IRQ_VS_SOFT) | (1L << IRQ_VS_TIMER) | (1L << IRQ_VS_EXT);

    // henvcfg / senvcfg
    public static final long ENVCFG_STCE = 1L << 63;

    // satp
    public static final int SATP_MODE_BARE = 0;
    public static final int SATP_MODE_SV39 = 8;
    public static final int SATP_MODE_SV48 = 9;
    public static final int SATP_MODE_SV57 = 10;

    /** The name a debugger and the privileged spec use for a CSR this core models, or null. */
    public static String name(int csr) {
        return switch (csr) {
            case FFLAGS -> "fflags";
            case FRM -> "frm";
            case FCSR -> "fcsr";
            case CYCLE -> "cycle";
            case TIME -> "time";
            case INSTRET -> "instret";
            case SSTATUS -> "sstatus";
            case SIE -> "sie";
            case STVEC -> "stvec";
            case SCOUNTEREN -> "scounteren";
            case SENVCFG -> "senvcfg";
            case SSCRATCH -> "sscratch";
            case SEPC -> "sepc";
            case SCAUSE -> "scause";
            case STVAL -> "stval";
            case SIP -> "sip";
            case STIMECMP -> "stimecmp";
            case SATP -> "satp";
            case HSTATUS -> "hstatus";
            case HEDELEG -> "hedeleg";
            case HIDELEG -> "hideleg";
            case HIE -> "hie";
            case HTIMEDELTA -> "htimedelta";
            case HCOUNTEREN -> "hcounteren";
            case HGEIE -> "hgeie";
            case HENVCFG -> "henvcfg";
            case HTVAL -> "htval";
            case HIP -> "hip";
            case HVIP -> "hvip";
            case HTINST -> "htinst";
            case HGATP -> "hgatp";
            case HGEIP -> "hgeip";
            case VSSTATUS -> "vsstatus";
            case VSIE -> "vsie";
            case VSTVEC -> "vstvec";
            case VSSCRATCH -> "vsscratch";
            case VSEPC -> "vsepc";
            case VSCAUSE -> "vscause";
            case VSTVAL -> "vstval";
            case VSIP -> "vsip";
            case VSTIMECMP -> "vstimecmp";
            case VSATP -> "vsatp";
            default -> csr >= HPMCOUNTER3 && csr <= HPMCOUNTER31 ? "hpmcounter" + (csr - CYCLE) : null;
        };
    }
}
