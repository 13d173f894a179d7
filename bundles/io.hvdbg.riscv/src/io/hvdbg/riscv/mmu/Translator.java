/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.mmu;

import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.riscv.cpu.Csr;
import io.hvdbg.riscv.cpu.Hart;
import io.hvdbg.riscv.cpu.Trap;

/**
 * Two-stage address translation for a hart with V=1: the VS-stage (Sv39/Sv48/Sv57 from the
 * guest's vsatp) and, for every guest-physical address it produces - page-table entries
 * included - the hypervisor's G-stage. Consults and fills the hart's {@link RiscvTlb};
 * updates A/D bits in guest page tables as hardware does. Results are left in fields (no
 * allocation on the TLB-miss path).
 */
public final class Translator {
    public static final int OK = 0;
    /** VS-stage page fault: the guest's (delegated) instruction/load/store page fault. */
    public static final int PAGE_FAULT = 1;
    /** G-stage fault: a guest-page fault, an exit to the hypervisor. */
    public static final int GUEST_PAGE_FAULT = 2;

    private final Hart hart;
    private final GuestMemory memory;
    private final GStage gstage;
    private final RiscvTlb tlb;
    private final MemorySlot[] slotsById;

    // Results.
    public long gpa;
    public long hpa;
    /** Effective page-size level of the translation (0 = 4 KiB). */
    public int level;
    /** VS-stage leaf flags (V R W X U G A D) of the translation. */
    public int pteFlags;
    /** For GUEST_PAGE_FAULT: the faulting guest-physical address and whether it was a PTE access. */
    public long faultGpa;
    public boolean faultImplicit;
    public boolean faultImplicitWrite;

    public Translator(Hart hart, GuestMemory memory, GStage gstage, RiscvTlb tlb) {
        this.hart = hart;
        this.memory = memory;
        this.gstage = gstage;
        this.tlb = tlb;
        int max = 0;
        for (MemorySlot s : memory.slots()) {
            max = Math.max(max, s.id());
        }
        slotsById = new MemorySlot[max + 1];
        for (MemorySlot s : memory.slots()) {
            slotsById[s.id()] = s;
        }
    }

    public RiscvTlb tlb() {
        return tlb;
    }

    public GStage gstage() {
        return gstage;
    }

    /** The memslot holding a host-physical address, or null. */
    public MemorySlot slotOf(long hpa) {
        int id = (int) (hpa >>> GStage.SLOT_SHIFT) - 1;
        return id >= 0 && id < slotsById.length ? slotsById[id] : null;
    }

    /** The memslot holding a guest-physical address, or null. */
    public MemorySlot slotForGpa(long gpa) {
        return memory.slotFor(gpa);
    }

    public static int offsetOf(long hpa) {
        return (int) (hpa & ((1L << GStage.SLOT_SHIFT) - 1));
    }

    public int currentAsid() {
        return (int) (hart.vsatp >>> 44) & 0xFFFF;
    }

    public int satpMode() {
        return (int) (hart.vsatp >>> 60);
    }

    /** True if cached VS-stage flags allow the access in the current mode (with SUM/MXR from vsstatus). */
    public boolean permitted(int flags, int access) {
        boolean user = (flags & Pte.U) != 0;
        if (hart.priv == Hart.PRIV_U) {
            if (!user) {
                return false;
            }
        } else if (user && (access == Trap.ACCESS_FETCH || (hart.vsstatus & Csr.SSTATUS_SUM) == 0)) {
            return false;
        }
        return switch (access) {
            case Trap.ACCESS_FETCH -> (flags & Pte.X) != 0;
            case Trap.ACCESS_LOAD -> (flags & Pte.R) != 0 || ((flags & Pte.X) != 0 && (hart.vsstatus & Csr.SSTATUS_MXR) != 0);
            default -> (flags & Pte.W) != 0;
        };
    }

    private static boolean gPermitted(int gperms, int access) {
        if ((gperms & Pte.U) == 0) {
            return false;
        }
        return switch (access) {
            case Trap.ACCESS_FETCH -> (gperms & Pte.X) != 0;
            case Trap.ACCESS_LOAD -> (gperms & Pte.R) != 0;
            default -> (gperms & Pte.W) != 0;
        };
    }

    /** Translates {@code va} for an access, through the TLB. Returns OK, PAGE_FAULT or GUEST_PAGE_FAULT. */
    public int translate(long va, int access) {
        int asid = currentAsid();
        int vmid = gstage.vmid();
        if (satpMode() == Csr.SATP_MODE_BARE) {
            // No VS-stage: translations are not cached in the VS TLB (a satp.MODE change
            // takes effect without sfence.vma), only in the interpreter's micro-TLB.
            return walk(va, access, asid, vmid, false);
        }
        if (tlb.lookup(va, asid, vmid)) {
            int fl = tlb.hitFlags();
            if ((fl & RiscvTlb.INVALID) != 0) {
                tlb.countHit();
                return PAGE_FAULT; // a cached invalid translation (no Svvptc)
            }
            if (!permitted(fl, access)) {
                tlb.countHit();
                return PAGE_FAULT;
            }
            if (access != Trap.ACCESS_STORE || (fl & Pte.D) != 0) {
                if (!gPermitted(tlb.hitGPerms(), access)) {
                    faultGpa = tlb.hitGpa(va);
                    faultImplicit = false;
                    return GUEST_PAGE_FAULT;
                }
                tlb.countHit();
                gpa = tlb.hitGpa(va);
                hpa = tlb.hitHpa(va);
                pteFlags = fl;
                level = (Long.numberOfTrailingZeros(tlb.hitPageSize()) - 12) / 9;
                return OK;
            }
            // A store through an entry cached with D=0: walk again to set D.
        }
        tlb.countMiss();
        int r = walk(va, access, asid, vmid, true);
        return r;
    }

    /**
     * Debugger translation: VS-stage walk with guest-physical accesses resolved through the
     * memslots (not the G-stage), no A/D updates, no TLB use. Returns the gpa or -1.
     */
    public long translateForDebug(long va) {
        int mode = satpMode();
        if (mode == Csr.SATP_MODE_BARE) {
            return va;
        }
        int levels = mode - 5;
        int vaBits = 12 + 9 * levels;
        if (((va << (64 - vaBits)) >> (64 - vaBits)) != va) {
            return -1;
        }
        long a = (hart.vsatp & ((1L << 44) - 1)) << 12;
        for (int l = levels - 1; l >= 0; l--) {
            long pteAddr = a + ((va >>> (12 + 9 * l)) & 0x1FF) * 8;
            MemorySlot s = memory.slotFor(pteAddr);
            if (s == null || !s.contains(pteAddr + 7)) {
                return -1;
            }
            long pte = LittleEndian.getI64(s.data(), (int) (pteAddr - s.base()));
            if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0) || (pte & Pte.RESERVED) != 0) {
                return -1;
            }
            if ((pte & Pte.RWX) != 0) {
                long mask = (1L << (12 + 9 * l)) - 1;
                return ((Pte.ppn(pte) << 12) & ~mask) | (va & mask);
            }
            a = Pte.ppn(pte) << 12;
        }
        return -1;
    }

    private int walk(long va, int access, int asid, int vmid, boolean fill) {
        int mode = satpMode();
        int vsLevel;
        int flags;
        long resultGpa;
        if (mode == Csr.SATP_MODE_BARE) {
            resultGpa = va;
            vsLevel = 4;
            flags = (int) (Pte.V | Pte.R | Pte.W | Pte.X | Pte.A | Pte.D | (hart.priv == Hart.PRIV_U ? Pte.U : 0) | Pte.G);
        } else {
            int levels = mode - 5;
            int vaBits = 12 + 9 * levels;
            if (((va << (64 - vaBits)) >> (64 - vaBits)) != va) {
                return PAGE_FAULT; // not canonical
            }
            long a = (hart.vsatp & ((1L << 44) - 1)) << 12;
            long pte = 0;
            long pteHpa = 0;
            int l = levels - 1;
            for (;; l--) {
                long pteAddr = a + ((va >>> (12 + 9 * l)) & 0x1FF) * 8;
                long h = gstage.translate(pteAddr);
                if (h < 0 || !gPermitted((int) gstage.lastPerms(), Trap.ACCESS_LOAD)) {
                    faultGpa = pteAddr;
                    faultImplicit = true;
                    faultImplicitWrite = false;
                    return GUEST_PAGE_FAULT;
                }
                MemorySlot s = slotOf(h);
                int off = offsetOf(h);
                pte = LittleEndian.getI64(s.data(), off);
                pteHpa = h;
                if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0) || (pte & Pte.RESERVED) != 0) {
                    tlb.insertInvalid(va, asid, vmid);
                    return PAGE_FAULT;
                }
                if ((pte & Pte.RWX) != 0) {
                    break;
                }
                if (l == 0) {
                    tlb.insertInvalid(va, asid, vmid);
                    return PAGE_FAULT;
                }
                a = Pte.ppn(pte) << 12;
            }
            long ppn = Pte.ppn(pte);
            if (l > 0 && (ppn & ((1L << (9 * l)) - 1)) != 0) {
                return PAGE_FAULT; // misaligned superpage
            }
            if (!permitted((int) pte & 0xFF, access)) {
                return PAGE_FAULT;
            }
            long need = Pte.A | (access == Trap.ACCESS_STORE ? Pte.D : 0);
            if ((pte & need) != need) {
                // Hardware A/D update: a write to the PTE, itself subject to the G-stage.
                long pteGpa = a + ((va >>> (12 + 9 * l)) & 0x1FF) * 8;
                if (!gPermitted((int) gPermsOf(pteGpa), Trap.ACCESS_STORE)) {
                    faultGpa = pteGpa;
                    faultImplicit = true;
                    faultImplicitWrite = true;
                    return GUEST_PAGE_FAULT;
                }
                pte |= need;
                MemorySlot s = slotOf(pteHpa);
                LittleEndian.putI64(s.data(), offsetOf(pteHpa), pte);
                memory.notifyWritten(pteGpa, 8);
            }
            long mask = (1L << (12 + 9 * l)) - 1;
            resultGpa = ((ppn << 12) & ~mask) | (va & mask);
            vsLevel = l;
            flags = (int) pte & 0xFF;
        }
        long h = gstage.translate(resultGpa);
        int gPerms = (int) gstage.lastPerms();
        if (h < 0 || !gPermitted(gPerms, access)) {
            faultGpa = resultGpa;
            faultImplicit = false;
            return GUEST_PAGE_FAULT;
        }
        int eff = Math.min(vsLevel, gstage.lastLevel());
        gpa = resultGpa;
        hpa = h;
        level = eff;
        pteFlags = flags;
        if (fill && mode != Csr.SATP_MODE_BARE) {
            tlb.insert(va, eff, asid, vmid, flags, resultGpa, h, gPerms);
        }
        return OK;
    }

    private long gPermsOf(long gpa) {
        return gstage.translate(gpa) < 0 ? 0 : gstage.lastPerms();
    }
}
