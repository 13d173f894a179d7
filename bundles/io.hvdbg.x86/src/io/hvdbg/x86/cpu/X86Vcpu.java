/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import static io.hvdbg.x86.cpu.LazyFlags.*;
import static io.hvdbg.x86.cpu.Op.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.x86.dev.LocalApic;
import io.hvdbg.x86.exit.X86ExitEncoding;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * An x86-64 vCPU: register state, the interpreter (decode once per address, switch on dense
 * opcode ids, lazily computed arithmetic flags), segmentation, 32-bit/PAE/4-level/5-level
 * paging with A/D bits and U/S, R/W, NX, SMEP, SMAP checks behind a TLB, exception and interrupt
 * delivery through the IDT, and the intercepts KVM takes as VM exits (each reported with the
 * vendor-native encoding picked by the VM's vendor).
 */
public final class X86Vcpu extends Vcpu {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    public static final long CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 0x10, CR0_NE = 0x20,
            CR0_WP = 1L << 16, CR0_AM = 1L << 18, CR0_PG = 1L << 31;
    public static final long CR4_PSE = 1 << 4, CR4_PAE = 1 << 5, CR4_PGE = 1 << 7, CR4_OSFXSR = 1 << 9,
            CR4_LA57 = 1 << 12, CR4_PCIDE = 1 << 17, CR4_OSXSAVE = 1 << 18, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21,
            CR4_PKE = 1 << 22;
    /** CR4 bits the core implements (others raise #GP, as for a CPU without the feature). */
    static final long CR4_SUPPORTED = (1 << 2) | (1 << 3) | CR4_PSE | CR4_PAE | (1 << 6) | CR4_PGE | (1 << 8)
            | CR4_OSFXSR | (1 << 10) | CR4_LA57 | CR4_PCIDE | CR4_OSXSAVE | CR4_SMEP | CR4_SMAP;
    public static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;

    // The arithmetic flags (CF PF AF ZF SF OF) and the lazy-flag kinds are LazyFlags'.
    static final int FLAG_TF = 0x100, FLAG_IF = 0x200, FLAG_DF = 0x400, FLAG_NT = 0x4000, FLAG_RF = 0x10000,
            FLAG_AC = 0x40000, FLAG_ID = 0x200000;

    // ---- architectural state ---------------------------------------------------------------

    public final long[] regs = new long[16];
    public long rip;
    /** EFLAGS bits other than the six arithmetic ones (those are computed lazily). */
    long flagsRest = 2;
    public final int[] segSel = new int[6];
    public final long[] segBase = new long[6];
    public final int[] segLimit = new int[6];
    /** Descriptor attribute bits 8-23 of the high dword (type, S, DPL, P, AVL, L, D/B, G). */
    public final int[] segAttr = new int[6];
    int cpl;
    public long cr0 = CR0_ET | 0x60000000L, cr2, cr3, cr4, cr8;
    public long efer;
    public long gdtBase, idtBase;
    public int gdtLimit = 0xFFFF, idtLimit = 0xFFFF;
    public int ldtSel, trSel;
    public long ldtBase, trBase;
    public int ldtLimit, trLimit = 0xFFFF;
    public long kernelGsBase, star, lstar, cstar, sfmask, tscAux, pat = 0x0007040600070406L, xcr0 = 1;
    public long sysenterCs, sysenterEsp, sysenterEip;
    public final long[] dr = new long[8];
    public final long[] xmm = new long[32];
    public int mxcsr = 0x1F80;
    final X87 fpu = new X87();
    private final Map<Integer, Long> otherMsrs = new HashMap<>();

    // lazy flags
    int ccOp = CC_EAGER;
    long ccA, ccB, ccRes;
    int ccSize = 4;
    int ccCarry;
    int ccEager;

    // derived mode state
    /** 16, 32 or 64: the decode mode of CS. */
    int codeMode = 32;
    private long stackMask = 0xFFFF_FFFFL;
    private int stackSize = 4;
    private int userBit;
    private boolean longMode;

    /** Interrupt shadow after STI / MOV SS: no interrupt before the next instruction. */
    private boolean interruptShadow;

    // ---- machine ---------------------------------------------------------------------------

    private final GuestMemory memory;
    final X86Tlb tlb = new X86Tlb();
    private final DecodeCache decodeCache;
    private final Decoder decoder = new Decoder();
    private final Insn scratch = new Insn();
    private final byte[] window = new byte[16];
    private final ExitHandlerTable<X86Vcpu> handlers;
    private final boolean amd;
    private final LocalApic apic;
    private CpuidProvider cpuid;
    private GuestModeHook guestMode = GuestModeHook.NONE;
    /** Non-null when this vCPU runs in an Intel TDX trust domain. */
    private TdxModule td;
    private final int[] cpuidOut = new int[4];

    private long decodes;
    private long fetchVpn = -1;
    private Insn[] fetchPage;
    private byte[] fetchData;
    private int fetchOffset;
    private long fetchGpaPage;
    private MemorySlot fetchSlot;

    // exit data (kvm_run): filled before an exit, completed by its handler
    public int ioPort, ioSize;
    public boolean ioIn;
    public long ioData;
    public boolean ioDone;
    public long mmioGpa;
    public int mmioSize;
    public boolean mmioWrite;
    public long mmioData;
    public boolean mmioDone;
    /** Exception a handler asks to inject (e.g. #GP for an unknown MSR), or -1. */
    public int pendingException = -1;
    public int pendingErrorCode;
    /** The INVPCID descriptor read before the exit (KVM's handle_invpcid reads it from guest memory). */
    public long invpcidDescriptorLow, invpcidDescriptorAddress;
    private boolean timerExitPending;
    /** NMIs are blocked from the delivery of one until the next IRET. */
    private boolean nmiBlocked;
    /** An IRET ended NMI blocking with another NMI pending: the NMI window opens before it is taken. */
    private boolean nmiWindowOpen;
    private long nmisTaken;
    private PlatformTimer platformTimer = PlatformTimer.NONE;
    /** The platform timer's deadline as last read ({@link #refreshPlatformDeadline}); tested per instruction. */
    private long platformDeadline = Long.MAX_VALUE;
    /** The exception being delivered, for double/triple fault rules (-1 none). */
    private int delivering = -1;
    private long exceptionsDelivered;
    private long interruptsTaken;

    public X86Vcpu(VirtualMachine vm, int index, DecodeCache decodeCache, ExitHandlerTable<X86Vcpu> handlers,
            LocalApic apic, CpuidProvider cpuid) {
        super(vm, index);
        this.memory = vm.memory();
        this.decodeCache = decodeCache;
        this.handlers = handlers;
        this.amd = vm.config().amd();
        this.apic = apic;
        this.cpuid = cpuid;
        decodeCache.attach(this);
        tlb.attach(index, () -> time);
        tlb.setVendor(amd, index + 1);
        tlb.setPre614PgeFlush("pre-6.14".equals(vm.config().option("amd-cr4-pge-flush", "6.14")));
        X86ExitKind.registerAll();
        resetToProtectedMode();
    }

    public LocalApic apic() {
        return apic;
    }

    public boolean amd() {
        return amd;
    }

    public void setCpuidProvider(CpuidProvider p) {
        this.cpuid = p;
    }

    public CpuidProvider cpuidProvider() {
        return cpuid;
    }

    /** Installs the guest-mode hook (TDX later); {@link GuestModeHook#NONE} by default. */
    public void setGuestModeHook(GuestModeHook hook) {
        this.guestMode = hook == null ? GuestModeHook.NONE : hook;
    }

    /** Runs this vCPU as a TDX trust domain: intercepts go through the TDX module, state is protected. */
    public void enterTdMode(TdxModule module) {
        this.td = module;
        setGuestModeHook(module);
    }

    public TdxModule tdxModule() {
        return td;
    }

    public X86Tlb tlbModel() {
        return tlb;
    }

    /** Instructions decoded (decode-cache misses). */
    public long decodes() {
        return decodes;
    }

    public long exceptionsDelivered() {
        return exceptionsDelivered;
    }

    public long interruptsTaken() {
        return interruptsTaken;
    }

    public long nmisTaken() {
        return nmisTaken;
    }

    public boolean nmiBlocked() {
        return nmiBlocked;
    }

    /**
     * A timer of the platform (the PIT) whose deadlines reach this vCPU as external-interrupt
     * exits, as a host timer interrupt does under KVM; the exit handler calls {@link PlatformTimer#expire}.
     */
    public interface PlatformTimer {
        PlatformTimer NONE = new PlatformTimer() {
            @Override
            public long deadline() {
                return Long.MAX_VALUE;
            }

            @Override
            public void expire(long now) {
            }
        };

        /** Guest time of the next interrupt the guest can see, or {@link Long#MAX_VALUE}. */
        long deadline();

        void expire(long now);
    }

    public void setPlatformTimer(PlatformTimer timer) {
        this.platformTimer = timer;
        refreshPlatformDeadline();
    }

    /** Re-reads the platform timer's deadline (its device or an interrupt mask changed). */
    public void refreshPlatformDeadline() {
        platformDeadline = platformTimer.deadline();
    }

    /** The external-interrupt exit's handler: the platform timer fires if its deadline passed. */
    public void expirePlatformTimer() {
        if (time >= platformDeadline) {
            platformTimer.expire(time);
            refreshPlatformDeadline();
        }
    }

    // ---- reset and boot states -------------------------------------------------------------

    /**
     * The power-on state (SDM 9.1.4): real mode, CS selector 0xF000 with base 0xFFFF0000 and IP
     * 0xFFF0, so the first fetch is at 0xFFFFFFF0; EDX holds the CPU signature (CPUID.1:EAX).
     */
    public void resetToRealMode() {
        cr0 = CR0_ET | 0x60000000L;
        cr4 = 0;
        efer = 0;
        for (int s = 0; s < 6; s++) {
            segSel[s] = 0;
            segBase[s] = 0;
            segLimit[s] = 0xFFFF;
            segAttr[s] = 0x93;
        }
        segSel[CS] = 0xF000;
        segBase[CS] = 0xFFFF0000L;
        segAttr[CS] = 0x9B;
        gdtBase = 0;
        gdtLimit = 0xFFFF;
        idtBase = 0;
        idtLimit = 0x3FF;
        rip = 0xFFF0;
        cpl = 0;
        java.util.Arrays.fill(regs, 0);
        cpuid.cpuid(1, 0, cr4, apic.id(), cpuidOut);
        regs[RDX] = cpuidOut[0] & 0xFFFF_FFFFL;
        setFlags(2);
        updateMode();
        tlb.flushAll();
        tlb.switchPcid(0);
    }

    /** Flat 32-bit protected mode, paging off, CPL 0: the multiboot entry state. */
    public void resetToProtectedMode() {
        cr0 = CR0_PE | CR0_ET | CR0_NE;
        cr4 = 0;
        efer = 0;
        for (int s = 0; s < 6; s++) {
            segSel[s] = s == CS ? 0x10 : 0x18;
            segBase[s] = 0;
            segLimit[s] = -1;
            segAttr[s] = s == CS ? 0xC09B : 0xC093;
        }
        cpl = 0;
        setFlags(2);
        updateMode();
        tlb.flushAll();
        tlb.switchPcid(0);
    }

    /** 64-bit long mode with the given paging root, CPL 0 (the KVM selftests' entry state). */
    public void resetToLongMode(long pml4) {
        cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG | CR0_WP;
        cr4 = CR4_PAE | CR4_OSFXSR;
        cr3 = pml4;
        efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE;
        for (int s = 0; s < 6; s++) {
            segSel[s] = s == CS ? 0x08 : 0x10;
            segBase[s] = 0;
            segLimit[s] = -1;
            segAttr[s] = s == CS ? 0xA09B : 0xC093;
        }
        cpl = 0;
        setFlags(2);
        updateMode();
        tlb.flushAll();
        tlb.switchPcid(0);
    }

    private void updateMode() {
        longMode = (efer & EFER_LMA) != 0;
        if (longMode && (segAttr[CS] & 0x2000) != 0) {
            codeMode = 64;
        } else if ((cr0 & CR0_PE) == 0) {
            codeMode = 16;
        } else {
            codeMode = (segAttr[CS] & 0x4000) != 0 ? 32 : 16;
        }
        if (codeMode == 64) {
            stackMask = -1L;
            stackSize = 8;
        } else if ((segAttr[SS] & 0x4000) != 0 && (cr0 & CR0_PE) != 0) {
            stackMask = 0xFFFF_FFFFL;
            stackSize = 4;
        } else {
            stackMask = 0xFFFF;
            stackSize = 2;
        }
        int u = cpl == 3 ? 1 : 0;
        if (u != userBit) {
            userBit = u;
        }
        fetchVpn = -1;
    }

    /** Current decode mode: 16, 32 or 64. */
    public int codeMode() {
        return codeMode;
    }

    public int cpl() {
        return cpl;
    }

    /** Block runner (io.hvdbg.x86.jit) for hot 64-bit code, or null to interpret everything. */
    private BlockRunner jit;

    public void setBlockRunner(BlockRunner runner) {
        jit = runner;
    }

    public BlockRunner blockRunner() {
        return jit;
    }

    int userBit() {
        return userBit;
    }

    /** True when the loop above would take no interrupt or NMI before any of the next instructions. */
    private boolean noEventDue() {
        if (!apic.hasRequests()) {
            return true;
        }
        if (apic.nmiPending() && !nmiBlocked) {
            return false;
        }
        return (flagsRest & FLAG_IF) == 0 && (interruptBlocked || !apic.interruptPending());
    }

    void dropFetchPage() {
        fetchVpn = -1;
    }

    // ---- flags -----------------------------------------------------------------------------

    /** The six arithmetic flags, computed from the last flag-setting operation. */
    int arithFlags() {
        return LazyFlags.arithFlags(ccOp, ccA, ccB, ccRes, ccSize, ccCarry, ccEager);
    }

    /** EFLAGS as the guest sees it. */
    public long flags() {
        return flagsRest | arithFlags() | 2;
    }

    public void setFlags(long f) {
        ccOp = CC_EAGER;
        ccEager = (int) f & ARITH_FLAGS;
        flagsRest = (f & ~(long) ARITH_FLAGS & 0x3F7FD7L) | 2;
    }

    private int cf() {
        return LazyFlags.cf(ccOp, ccA, ccB, ccRes, ccSize, ccCarry, ccEager);
    }

    private void setEager(int f) {
        ccOp = CC_EAGER;
        ccEager = f & ARITH_FLAGS;
    }

    private void setCc(int op, long a, long b, long r, int size) {
        ccOp = op;
        ccA = a;
        ccB = b;
        ccRes = r;
        ccSize = size;
    }

    boolean cond(int cc) {
        return LazyFlags.cond(ccOp, ccA, ccB, ccRes, ccSize, ccCarry, ccEager, cc);
    }

    // ---- registers -------------------------------------------------------------------------

    long getReg(int size, int r) {
        switch (size) {
            case 1:
                return (r & Insn.HIGH_BYTE) != 0 ? (regs[r & 3] >>> 8) & 0xFF : regs[r] & 0xFF;
            case 2:
                return regs[r] & 0xFFFF;
            case 4:
                return regs[r] & 0xFFFF_FFFFL;
            default:
                return regs[r];
        }
    }

    void setReg(int size, int r, long v) {
        switch (size) {
            case 1 -> {
                if ((r & Insn.HIGH_BYTE) != 0) {
                    int i = r & 3;
                    regs[i] = (regs[i] & ~0xFF00L) | ((v & 0xFF) << 8);
                } else {
                    regs[r] = (regs[r] & ~0xFFL) | (v & 0xFF);
                }
            }
            case 2 -> regs[r] = (regs[r] & ~0xFFFFL) | (v & 0xFFFF);
            case 4 -> regs[r] = v & 0xFFFF_FFFFL;
            default -> regs[r] = v;
        }
    }

    // ---- linear addresses and memory ---------------------------------------------------------

    private long addrMask(int asize) {
        return asize == 8 ? -1L : asize == 4 ? 0xFFFF_FFFFL : 0xFFFF;
    }

    /** Effective address (offset within the segment) of the memory operand. */
    long ea(Insn d) {
        long a = d.disp;
        if (d.base >= 0) {
            a += d.base == Insn.BASE_RIP ? rip + d.len : regs[d.base];
        }
        if (d.index >= 0) {
            a += regs[d.index] << d.scale;
        }
        return d.asize == 8 ? a : a & addrMask(d.asize);
    }

    long segBaseFor(int seg) {
        return longMode && seg < FS ? 0 : segBase[seg];
    }

    long linear(int seg, long offset) {
        long la = segBaseFor(seg) + offset;
        return codeMode == 64 ? la : la & 0xFFFF_FFFFL;
    }

    long lin(Insn d) {
        return linear(d.seg, ea(d));
    }

    private static final int ACC_READ = 0, ACC_WRITE = 1, ACC_FETCH = 2;

    long read(long la, int size) {
        int i = (int) (la >>> 12) & X86Tlb.MASK;
        int off = (int) la & 0xFFF;
        if (tlb.readTag[i] == X86Tlb.tag(la, userBit) && tlb.space[i] == tlb.currentPcid && off <= 0x1000 - size) {
            byte[] b = tlb.data[i];
            int o = tlb.offset[i] + off;
            return switch (size) {
                case 1 -> b[o] & 0xFFL;
                case 2 -> LittleEndian.getU16(b, o);
                case 4 -> LittleEndian.getU32(b, o);
                default -> LittleEndian.getI64(b, o);
            };
        }
        return readSlow(la, size, userBit == 1);
    }

    void write(long la, int size, long v) {
        int i = (int) (la >>> 12) & X86Tlb.MASK;
        int off = (int) la & 0xFFF;
        if (tlb.writeTag[i] == X86Tlb.tag(la, userBit) && tlb.space[i] == tlb.currentPcid && off <= 0x1000 - size) {
            byte[] b = tlb.data[i];
            int o = tlb.offset[i] + off;
            switch (size) {
                case 1 -> b[o] = (byte) v;
                case 2 -> LittleEndian.putU16(b, o, (int) v);
                case 4 -> LittleEndian.putI32(b, o, (int) v);
                default -> LittleEndian.putI64(b, o, v);
            }
            return;
        }
        writeSlow(la, size, v, userBit == 1);
    }

    /** Supervisor-privileged access (descriptor tables, TSS, interrupt frames). */
    long readSystem(long la, int size) {
        return readSlow(la, size, false);
    }

    void writeSystem(long la, int size, long v) {
        writeSlow(la, size, v, false);
    }

    private long readSlow(long la, int size, boolean user) {
        if (((int) la & 0xFFF) > 0x1000 - size) {
            long v = 0;
            for (int k = 0; k < size; k++) {
                v |= readSlow(la + k, 1, user) << (8 * k);
            }
            return v;
        }
        long gpa = translate(la, ACC_READ, user);
        MemorySlot s = memory.slotFor(gpa);
        if (s == null) {
            return mmioAccess(gpa, la, size, false, 0, user);
        }
        int o = (int) (gpa - s.base());
        if (vm.watchpoints().isActive()) {
            checkWatch(la, size, false);
        } else {
            fillTlb(la, gpa, s, user);
        }
        return LittleEndian.get(s.data(), o, size);
    }

    private void writeSlow(long la, int size, long v, boolean user) {
        if (((int) la & 0xFFF) > 0x1000 - size) {
            // Check both pages before writing anything, so a fault leaves memory unchanged.
            translate(la, ACC_WRITE, user);
            translate((la + size - 1), ACC_WRITE, user);
            for (int k = 0; k < size; k++) {
                writeSlow(la + k, 1, v >>> (8 * k), user);
            }
            return;
        }
        long gpa = translate(la, ACC_WRITE, user);
        MemorySlot s = memory.slotFor(gpa);
        if (s == null) {
            mmioAccess(gpa, la, size, true, v, user);
            return;
        }
        int o = (int) (gpa - s.base());
        if (s.readOnly()) {
            return;
        }
        if ((s.pageFlags()[o >>> 12] & DecodeCache.CODE) != 0) {
            decodeCache.invalidate(s, gpa & ~0xFFFL);
        }
        LittleEndian.put(s.data(), o, size, v);
        if (vm.watchpoints().isActive()) {
            checkWatch(la, size, true);
        } else {
            fillTlb(la, gpa, s, user);
        }
    }

    private void checkWatch(long la, int size, boolean isWrite) {
        var w = vm.watchpoints().check(la, size, isWrite);
        if (w != null) {
            vm.stopAtWatchpoint(this, w, la);
        }
    }

    // results of the last page walk, for TLB fills
    private boolean walkWritable = true, walkUser = true, walkNx, walkGlobal, walkLarge, walkDirty = true;
    private long walkPageSize = 4096;

    private void fillTlb(long la, long gpa, MemorySlot s, boolean user) {
        if ((cr0 & CR0_PG) == 0) {
            walkWritable = true;
            walkDirty = true;
            walkNx = false;
            walkGlobal = false;
            walkLarge = false;
            walkPageSize = 4096;
            walkUser = true;
        }
        long page = gpa & ~0xFFFL;
        int o = (int) (page - s.base());
        boolean code = (s.pageFlags()[o >>> 12] & DecodeCache.CODE) != 0;
        boolean canWrite = walkWritable && walkDirty && !code && !s.readOnly()
                && (user || walkWritable || (cr0 & CR0_WP) == 0);
        // A supervisor write to a read-only page with CR0.WP clear is allowed but not cached.
        canWrite &= walkWritable;
        if (user && !walkUser) {
            return;
        }
        if (!user && walkUser && (cr4 & CR4_SMAP) != 0 && (flagsRest & FLAG_AC) == 0) {
            return; // SMAP: keep every such access on the checked path
        }
        boolean canFetch = !walkNx && !(!user && walkUser && (cr4 & CR4_SMEP) != 0);
        tlb.fill(la, user ? 1 : 0, s.data(), o, page, canWrite, canFetch, walkGlobal && (cr4 & CR4_PGE) != 0,
                walkPageSize);
    }

    /**
     * Guest-physical address of a linear address for an access, walking the page tables
     * (setting accessed and dirty bits); raises #PF with CR2 and the error code on a violation.
     */
    long translate(long la, int access, boolean user) {
        if ((cr0 & CR0_PG) == 0) {
            return codeMode == 64 ? la : la & 0xFFFF_FFFFL;
        }
        if (longMode && !canonical(la)) {
            throw Fault.gp(0);
        }
        return walk(la, access, user, true);
    }

    private boolean canonical(long la) {
        int bits = (cr4 & CR4_LA57) != 0 ? 57 : 48;
        return (la << (64 - bits)) >> (64 - bits) == la;
    }

    private static final long ADDR_MASK = 0x000F_FFFF_FFFF_F000L;
    private static final long PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80,
            PTE_G = 0x100;

    private long loadPte(long addr, int size) {
        MemorySlot s = memory.slotFor(addr);
        if (s == null) {
            return 0; // page tables outside RAM read as not present
        }
        return LittleEndian.get(s.data(), (int) (addr - s.base()), size);
    }

    private void storePte(long addr, int size, long v) {
        MemorySlot s = memory.slotFor(addr);
        if (s != null && !s.readOnly()) {
            int o = (int) (addr - s.base());
            if ((s.pageFlags()[o >>> 12] & DecodeCache.CODE) != 0) {
                decodeCache.invalidate(s, addr & ~0xFFFL);
            }
            LittleEndian.put(s.data(), o, size, v);
        }
    }

    private long walk(long la, int access, boolean user, boolean update) {
        boolean write = access == ACC_WRITE;
        boolean fetch = access == ACC_FETCH;
        boolean nxe = (efer & EFER_NXE) != 0;
        boolean rw = true, us = true, nx = false;
        long pte;
        long pteAddr;
        int pteSize;
        int levels;
        long table;
        int leafShift;
        if (longMode) {
            levels = (cr4 & CR4_LA57) != 0 ? 5 : 4;
            table = cr3 & ADDR_MASK;
            pteSize = 8;
        } else if ((cr4 & CR4_PAE) != 0) {
            long pdpte = loadPte((cr3 & 0xFFFF_FFE0L) + ((la >>> 30) & 3) * 8, 8);
            if ((pdpte & PTE_P) == 0) {
                throw pageFault(la, access, user, false);
            }
            table = pdpte & ADDR_MASK;
            levels = 2;
            pteSize = 8;
        } else {
            table = cr3 & 0xFFFF_F000L;
            levels = 2;
            pteSize = 4;
        }
        int level = levels;
        while (true) {
            int shift = pteSize == 8 ? 12 + 9 * (level - 1) : 12 + 10 * (level - 1);
            long idx = pteSize == 8 ? (la >>> shift) & 511 : (la >>> shift) & 1023;
            pteAddr = table + idx * pteSize;
            pte = loadPte(pteAddr, pteSize);
            if ((pte & PTE_P) == 0) {
                throw pageFault(la, access, user, false);
            }
            if (!nxe && pte < 0 && pteSize == 8) {
                throw rsvdFault(la, access, user);
            }
            rw &= (pte & PTE_RW) != 0;
            us &= (pte & PTE_US) != 0;
            nx |= nxe && pte < 0;
            boolean large = level > 1 && (pte & PTE_PS) != 0
                    && (pteSize == 8 ? level <= 3 : (cr4 & CR4_PSE) != 0);
            if (level == 1 || large) {
                leafShift = shift;
                break;
            }
            if (update && (pte & PTE_A) == 0) {
                storePte(pteAddr, pteSize, pte | PTE_A);
            }
            table = pte & (pteSize == 8 ? ADDR_MASK : 0xFFFF_F000L);
            level--;
        }
        boolean wp = (cr0 & CR0_WP) != 0;
        boolean violation = (user && !us) || (write && !rw && (user || wp)) || (fetch && nx)
                || (fetch && !user && us && (cr4 & CR4_SMEP) != 0)
                || (!fetch && !user && us && (cr4 & CR4_SMAP) != 0 && (flagsRest & FLAG_AC) == 0 && update);
        if (violation) {
            throw pageFault(la, access, user, true);
        }
        if (update) {
            long n = pte | PTE_A | (write ? PTE_D : 0);
            if (n != pte) {
                storePte(pteAddr, pteSize, n);
                pte = n;
            }
        }
        long frame;
        if (pteSize == 4 && leafShift == 22) {
            frame = (pte & 0xFFC0_0000L) | ((pte & 0x1FE000L) << 19);
        } else {
            frame = pte & ADDR_MASK & ~((1L << leafShift) - 1);
        }
        walkWritable = rw;
        walkUser = us;
        walkNx = nx;
        walkGlobal = (pte & PTE_G) != 0;
        walkLarge = leafShift > 12;
        walkPageSize = 1L << leafShift;
        walkDirty = (pte & PTE_D) != 0;
        return frame | (la & ((1L << leafShift) - 1));
    }

    private Fault pageFault(long la, int access, boolean user, boolean present) {
        cr2 = la;
        int err = (present ? 1 : 0) | (access == ACC_WRITE ? 2 : 0) | (user ? 4 : 0)
                | (access == ACC_FETCH && ((efer & EFER_NXE) != 0 || (cr4 & CR4_SMEP) != 0) ? 16 : 0);
        return new Fault(Fault.PF, err, true);
    }

    private Fault rsvdFault(long la, int access, boolean user) {
        Fault f = pageFault(la, access, user, true);
        return new Fault(Fault.PF, f.errorCode | 8, true);
    }

    @Override
    public long translateForDebug(long va) {
        if (td != null) {
            td.checkMemoryAccess();
        }
        try {
            if ((cr0 & CR0_PG) == 0) {
                return codeMode == 64 ? va : va & 0xFFFF_FFFFL;
            }
            if (longMode && !canonical(va)) {
                return -1;
            }
            return walk(va, ACC_READ, false, false);
        } catch (Fault f) {
            if (f.vector == Fault.PF && (f.errorCode & 1) != 0) {
                // present but protected from supervisor reads (SMAP): the debugger may still look
                return -1;
            }
            return -1;
        }
    }

    // ---- MMIO and port I/O exits ----------------------------------------------------------------

    private long mmioAccess(long gpa, long la, int size, boolean isWrite, long value, boolean user) {
        if (mmioDone) {
            // A handler completed this access while the VM stood at the exit: replay its result.
            mmioDone = false;
            if (mmioGpa == gpa && mmioWrite == isWrite && mmioSize == size) {
                return mmioData;
            }
        }
        mmioGpa = gpa;
        mmioSize = size;
        mmioWrite = isWrite;
        mmioData = value;
        long q = amd ? X86ExitEncoding.svmNpf(isWrite, false, user) : X86ExitEncoding.vmxEpt(isWrite, false, user);
        exit.set(X86ExitKind.EPT_VIOLATION.reason(amd), q, gpa, la, rip, 0, time);
        takeExit();
        mmioDone = false;
        return mmioData;
    }

    /**
     * Protected-mode I/O permission: with CPL above IOPL every port byte must be clear in the
     * TSS I/O bitmap (#GP(0) otherwise), checked by the CPU before any intercept.
     */
    private void checkIoPermission(int port, int size) {
        if ((cr0 & CR0_PE) == 0 || cpl <= ((flagsRest >> 12) & 3)) {
            return;
        }
        if (trLimit < 103) {
            throw Fault.gp(0);
        }
        int base = (int) readSystem(trBase + 102, 2);
        for (int p = port; p < port + size; p++) {
            int off = base + (p >> 3);
            if (off > trLimit || (readSystem(trBase + off, 1) & (1 << (p & 7))) != 0) {
                throw Fault.gp(0);
            }
        }
    }

    /** Exits for an IN or OUT; returns the value read for IN. */
    private long portIo(int port, int size, boolean in, long value, boolean string, boolean repPrefix, boolean imm,
            Insn d) {
        checkIoPermission(port, size);
        if (ioDone) {
            ioDone = false;
            if (ioPort == port && ioIn == in && ioSize == size) {
                return ioData;
            }
        }
        ioPort = port;
        ioSize = size;
        ioIn = in;
        ioData = value;
        int seg = in ? ES : d.seg;
        long q = amd ? X86ExitEncoding.svmIo(port, size, in, string, repPrefix, d.asize, seg)
                : X86ExitEncoding.vmxIo(port, size, in, string, repPrefix, imm);
        exit.set(X86ExitKind.IO.reason(amd), q, amd ? rip + d.len : 0,
                X86ExitEncoding.ioContext(d.len, d.asize, seg, imm), rip, d.len, time);
        takeExit();
        ioDone = false;
        return ioData;
    }

    /** Reports the exit in {@link #exit}; unwinds the instruction if the VM stopped before its handler ran. */
    private void takeExit() {
        hostExit();
        if (hasPendingExit()) {
            throw ExitAbort.INSTANCE;
        }
    }

    /**
     * Reports the exit in {@link #exit} to the host, except in a TD: there the TDX module
     * handles some intercepts itself (no exit) and turns others into a #VE in the guest (a
     * fault at the instruction, which the guest forwards with TDG.VP.VMCALL).
     */
    private boolean hostExit() {
        if (td != null) {
            switch (td.disposition(exit.reason, exit.context)) {
                case TdxModule.NATIVE -> {
                    handleExit(exit);
                    return true;
                }
                case TdxModule.VIRTUALIZATION_EXCEPTION -> {
                    boolean mmio = exit.reason == X86ExitKind.EPT_VIOLATION.vmxReason();
                    if (!td.latchVe(exit.reason.code(), exit.qualification, mmio ? exit.context : 0,
                            mmio ? exit.info2 : 0, exit.instructionLength)) {
                        throw new Fault(Fault.DF, 0, true);
                    }
                    throw Fault.of(TdxModule.VE);
                }
                default -> { }
            }
        }
        return vmExit();
    }

    /** TDCALL: TDG.VP.VMCALL exits to the host; the TDX module answers TDG.VP.INFO and TDG.VP.VEINFO.GET. */
    private void tdcall(Insn d) {
        if (td == null) {
            throw Fault.of(Fault.UD);
        }
        if (cpl != 0) {
            throw Fault.gp(0);
        }
        int leaf = (int) regs[RAX];
        switch (leaf) {
            case TdxModule.TDG_VP_VMCALL -> {
                long sub = regs[11];
                exit.set(io.hvdbg.x86.exit.TdxExits.reason(regs[10] == 0 ? sub : -1), sub, regs[10], regs[12], rip, d.len, time);
                vmExit();
                if (!hasPendingExit() && pendingException >= 0) {
                    raisePending();
                }
                return;
            }
            case TdxModule.TDG_VP_INFO -> regs[RAX] = td.vpInfo(regs);
            case TdxModule.TDG_VP_VEINFO_GET -> regs[RAX] = td.veInfoGet(regs);
            default -> regs[RAX] = TdxModule.TDX_OPERAND_INVALID;
        }
        rip += d.len;
    }

    /** An instruction intercept whose handler completes the instruction (advances RIP or injects). */
    private void instructionExit(X86ExitKind kind, long q, long info2, long context, Insn d) {
        exit.set(kind.reason(amd), q, info2, context, rip, d.len, time);
        hostExit();
        if (!hasPendingExit() && pendingException >= 0) {
            raisePending();
        }
    }

    /** Exceptions (bit per vector) that exit to the hypervisor before delivery, as KVM's exception bitmap. */
    private int exceptionIntercepts;
    private boolean interruptBlocked;
    private int seenWatchGeneration = -1;

    /** Sets the exception bitmap: vectors whose exceptions exit first (the handler re-injects them). */
    public void setExceptionIntercepts(int bitmap) {
        this.exceptionIntercepts = bitmap;
    }

    public int exceptionIntercepts() {
        return exceptionIntercepts;
    }

    /**
     * An intercepted exception: VMX reason 0 with CR2 (#PF) or DR6 (#DB) as qualification, SVM
     * VMEXIT_EXCP_n with the error code in EXITINFO1 and CR2 in EXITINFO2; the context carries the
     * VM-exit interruption information and error code. Returns false if the VM stopped at it.
     */
    private boolean exceptionExit(int vector, int error, boolean hasError) {
        long ctx = X86ExitEncoding.exceptionContext(vector, hasError, error);
        if (amd) {
            exit.set(X86ExitKind.svmExceptionReason(vector), hasError ? error & 0xFFFF_FFFFL : 0,
                    vector == Fault.PF ? cr2 : 0, ctx, rip, 0, time);
        } else {
            exit.set(X86ExitKind.EXCEPTION.vmxReason(), vector == Fault.PF ? cr2 : vector == Fault.DB ? dr[6] : 0, 0,
                    ctx, rip, 0, time);
        }
        boolean go = vmExit();
        if (!hasPendingExit() && pendingException >= 0) {
            int v = pendingException;
            pendingException = -1;
            if (v == Fault.BP && vector == Fault.BP) {
                deliverSoftware(3, rip);
            } else {
                deliverException(v, pendingErrorCode, Fault.hasErrorCode(v), rip);
            }
        }
        return go;
    }

    private void raisePending() {
        int v = pendingException;
        pendingException = -1;
        throw new Fault(v, pendingErrorCode, Fault.hasErrorCode(v));
    }

    /** Handlers call this to finish the exiting instruction (KVM's skip_emulated_instruction). */
    public void skipInstruction(ExitInfo e) {
        rip = e.pc + e.instructionLength;
        if (codeMode != 64) {
            rip &= 0xFFFF_FFFFL;
        }
    }

    /** Handlers call this to make the exiting instruction raise an exception instead. */
    public void injectException(int vector, int errorCode) {
        pendingException = vector;
        pendingErrorCode = errorCode;
    }

    @Override
    protected int handleExit(ExitInfo e) {
        int action = handlers.dispatch(this, e);
        if (tlb.pendingRequests != 0) {
            // re-entry after the handler: kvm_service_local_tlb_flush_requests
            tlb.serviceRequests();
            fetchVpn = -1;
        }
        return action;
    }

    // ---- execution ------------------------------------------------------------------------------

    @Override
    protected long nextEventTime() {
        if (apic.hasRequests() && interruptReady()) {
            return time; // an IPI or device interrupt arrived while halted
        }
        return Math.min(apic.deadline(), platformDeadline);
    }

    private boolean interruptReady() {
        if (interruptShadow) {
            return false;
        }
        if (apic.nmiPending() && !nmiBlocked) {
            return true;
        }
        return (flagsRest & FLAG_IF) != 0 && apic.interruptPending();
    }

    @Override
    protected void execute(long budget) {
        refreshPlatformDeadline(); // another vCPU may have changed a mask (IOAPIC, 8259, LINT0)
        if (tlb.pendingRequests != 0) {
            tlb.serviceRequests(); // VM entry: kvm_service_local_tlb_flush_requests
            fetchVpn = -1;
        }
        if (pendingException >= 0 && !hasPendingExit()) {
            int v = pendingException;
            pendingException = -1;
            deliverException(v, pendingErrorCode, Fault.hasErrorCode(v), rip);
        }
        if (state() == VcpuState.HALTED) {
            checkTimer();
            if (!interruptReady()) {
                return;
            }
            setState(VcpuState.RUNNABLE);
        }
        boolean debugging = vm.breakpoints().isActive();
        int watchGeneration = vm.watchpoints().generation();
        if (watchGeneration != seenWatchGeneration) {
            // Translations cached before a watchpoint was set would let accesses bypass its check.
            seenWatchGeneration = watchGeneration;
            tlb.flushAll();
            fetchVpn = -1;
        }
        while (budget-- > 0) {
            if (vm.stopRequested() || state() != VcpuState.RUNNABLE) {
                return;
            }
            if (time >= apic.deadline() || time >= platformDeadline) {
                checkTimer();
                if (vm.stopRequested()) {
                    return;
                }
            }
            if (interruptShadow) {
                interruptShadow = false;
            } else if (apic.hasRequests()) {
                if (apic.nmiPending() && !nmiBlocked) {
                    if (nmiWindowOpen) {
                        // IRET ended the NMI handler with another NMI waiting (KVM's NMI-window exit).
                        nmiWindowOpen = false;
                        exit.set(X86ExitKind.NMI_WINDOW.reason(amd), 0, 0, 0, rip, 0, time);
                        if (!vmExit() && hasPendingExit()) {
                            return;
                        }
                    }
                    apic.acknowledgeNmi();
                    nmiBlocked = true;
                    nmisTaken++;
                    deliverExternal(Fault.NMI);
                } else if ((flagsRest & FLAG_IF) == 0) {
                    // held off; looked at once, since a line can stay asserted for long (8259 INTR)
                    if (!interruptBlocked && apic.interruptPending()) {
                        interruptBlocked = true;
                    }
                } else if (apic.interruptPending()) {
                    if (interruptBlocked) {
                        // The guest just became able to take the interrupt it was holding off.
                        interruptBlocked = false;
                        exit.set(X86ExitKind.INTERRUPT_WINDOW.reason(amd), 0, 0, 0, rip, 0, time);
                        if (!vmExit() && hasPendingExit()) {
                            return;
                        }
                    }
                    int vector = apic.acknowledge();
                    if (vector >= 0) {
                        interruptsTaken++;
                        deliverExternal(vector);
                    }
                }
            }
            if (jit != null && !debugging && codeMode == 64 && (rip >>> 12) == fetchVpn && noEventDue()
                    && !vm.watchpoints().isActive()) {
                // Compiled code runs only while nothing can happen between its instructions.
                long n = jit.run(this, fetchPage, (int) rip & 0xFFF,
                        Math.min(budget + 1, Math.min(apic.deadline(), platformDeadline) - time));
                if (n > 0) {
                    time += n;
                    instructions += n;
                    budget -= n - 1;
                    continue;
                }
            }
            if (debugging && checkBreakpoint(rip)) {
                return;
            }
            long start = rip;
            try {
                Insn d = fetch();
                step(d);
            } catch (Fault f) {
                rip = start;
                if ((exceptionIntercepts & (1 << f.vector)) != 0 && delivering < 0) {
                    if (!exceptionExit(f.vector, f.errorCode, f.hasErrorCode)) {
                        return;
                    }
                } else {
                    deliverException(f.vector, f.errorCode, f.hasErrorCode, start);
                }
            } catch (ExitAbort a) {
                rip = start;
                return;
            } catch (RepYield y) {
                rip = start;
            }
            time++;
            instructions++;
            if (debugging) {
                instructionRetiredWhileDebugging();
            }
        }
    }

    /**
     * The LAPIC timer or the platform timer (PIT) reached its deadline: the host timer interrupt
     * is an external-interrupt exit.
     */
    private void checkTimer() {
        long deadline = Math.min(apic.deadline(), platformDeadline);
        if (time < deadline) {
            return;
        }
        exit.set(X86ExitKind.EXTERNAL_INTERRUPT.reason(amd), 0, 0, 0, rip, 0, time);
        vmExit();
        // The handler (or a resumed exit breakpoint) moves the timers on; make sure time does too.
        if (!hasPendingExit()) {
            if (apic.deadline() <= time) {
                apic.timerExpired(time);
            }
            expirePlatformTimer();
        }
    }

    /** The decoded instruction at RIP: a cache hit on the current code page is the fast path. */
    private Insn fetch() {
        long la = linear(CS, rip);
        if ((la >>> 12) == fetchVpn) {
            Insn d = fetchPage[(int) la & 0xFFF];
            if (d != null && d.mode == codeMode) {
                return d;
            }
        }
        return fetchSlow(la);
    }

    private Insn fetchSlow(long la) {
        long vpn = la >>> 12;
        int off = (int) la & 0xFFF;
        Insn[] page;
        if (vpn == fetchVpn) {
            page = fetchPage;
        } else {
            long gpa = translate(la, ACC_FETCH, userBit == 1);
            MemorySlot s = memory.slotFor(gpa);
            if (s == null) {
                // Executing from a device: decode from MMIO bytes is not supported.
                throw Fault.gp(0);
            }
            fetchGpaPage = gpa & ~0xFFFL;
            fetchSlot = s;
            fetchData = s.data();
            fetchOffset = (int) (fetchGpaPage - s.base());
            page = decodeCache.page(s, fetchGpaPage);
            fetchPage = page;
            fetchVpn = vpn;
        }
        Insn d = page[off];
        if (d != null && d.mode == codeMode) {
            return d;
        }
        decodes++;
        if (off <= 0x1000 - 15) {
            d = new Insn();
            try {
                decoder.decode(d, fetchData, fetchOffset + off, 15, codeMode);
            } catch (Decoder.Truncated t) {
                throw Fault.gp(0); // longer than 15 bytes
            }
            page[off] = d;
            return d;
        }
        // Near the end of the page: the instruction may continue on the next one.
        int n = 0x1000 - off;
        System.arraycopy(fetchData, fetchOffset + off, window, 0, n);
        try {
            decoder.decode(scratch, window, 0, n, codeMode);
            d = new Insn();
            decoder.decode(d, window, 0, n, codeMode);
            page[off] = d;
            return d;
        } catch (Decoder.Truncated t) {
            long la2 = (la + n);
            long gpa2 = translate(la2, ACC_FETCH, userBit == 1);
            for (int k = 0; k < 15 - n; k++) {
                MemorySlot s2 = memory.slotFor(gpa2 + k);
                window[n + k] = s2 == null ? 0 : s2.data()[(int) (gpa2 + k - s2.base())];
            }
            d = new Insn();
            try {
                decoder.decode(d, window, 0, 15, codeMode);
            } catch (Decoder.Truncated t2) {
                throw Fault.gp(0);
            }
            d.uncached = true;
            return d;
        }
    }

    // ---- stack -----------------------------------------------------------------------------------

    void push(int size, long v) {
        long sp = (regs[RSP] - size) & stackMask;
        write(linear(SS, sp), size, v);
        regs[RSP] = stackMask == -1L ? sp : (regs[RSP] & ~stackMask) | sp;
    }

    long pop(int size) {
        long sp = regs[RSP] & stackMask;
        long v = read(linear(SS, sp), size);
        regs[RSP] = stackMask == -1L ? sp + size : (regs[RSP] & ~stackMask) | ((sp + size) & stackMask);
        return v;
    }

    long peek(int size, int offset) {
        return read(linear(SS, (regs[RSP] + offset) & stackMask), size);
    }

    // ---- operands ----------------------------------------------------------------------------

    private long readRm(Insn d, int size) {
        return d.mem ? read(lin(d), size) : getReg(size, d.rm);
    }

    private void writeRm(Insn d, int size, long v) {
        if (d.mem) {
            write(lin(d), size, v);
        } else {
            setReg(size, d.rm, v);
        }
    }

    private long alu(int op, long a, long b, int size) {
        long m = mask(size);
        long r;
        switch (op) {
            case 0 -> { r = (a + b) & m; setCc(CC_ADD, a, b, r, size); }
            case 1 -> { r = a | b; setCc(CC_LOGIC, a, b, r, size); }
            case 2 -> { int c = cf(); r = (a + b + c) & m; setCc(CC_ADC, a, b, r, size); ccCarry = c; }
            case 3 -> { int c = cf(); r = (a - b - c) & m; setCc(CC_SBB, a, b, r, size); ccCarry = c; }
            case 4 -> { r = a & b; setCc(CC_LOGIC, a, b, r, size); }
            case 5, 7 -> { r = (a - b) & m; setCc(CC_SUB, a, b, r, size); }
            default -> { r = a ^ b; setCc(CC_LOGIC, a, b, r, size); }
        }
        return r;
    }

    private long shift(int op, long v, int count, int size) {
        int bits = size * 8;
        count &= size == 8 ? 63 : 31;
        if (count == 0) {
            return v;
        }
        long m = mask(size);
        long sb = signBit(size);
        int f = arithFlags();
        long r;
        int cfBit;
        switch (op) {
            case 0 -> { // ROL
                int c = count % bits;
                r = c == 0 ? v : ((v << c) | (v >>> (bits - c))) & m;
                cfBit = (int) (r & 1);
                f = (f & ~(FLAG_CF | FLAG_OF)) | cfBit | ((((r & sb) != 0 ? 1 : 0) ^ cfBit) != 0 ? FLAG_OF : 0);
                setEager(f);
                return r;
            }
            case 1 -> { // ROR
                int c = count % bits;
                r = c == 0 ? v : ((v >>> c) | (v << (bits - c))) & m;
                cfBit = (r & sb) != 0 ? 1 : 0;
                int msb2 = (r & (sb >>> 1)) != 0 ? 1 : 0;
                f = (f & ~(FLAG_CF | FLAG_OF)) | cfBit | ((cfBit ^ msb2) != 0 ? FLAG_OF : 0);
                setEager(f);
                return r;
            }
            case 2 -> { // RCL
                int c = count % (bits + 1);
                r = v;
                int carry = f & 1;
                for (int k = 0; k < c; k++) {
                    int out = (r & sb) != 0 ? 1 : 0;
                    r = ((r << 1) | carry) & m;
                    carry = out;
                }
                f = (f & ~(FLAG_CF | FLAG_OF)) | carry | ((((r & sb) != 0 ? 1 : 0) ^ carry) != 0 ? FLAG_OF : 0);
                setEager(f);
                return r;
            }
            case 3 -> { // RCR
                int c = count % (bits + 1);
                r = v;
                int carry = f & 1;
                int of = (((v & sb) != 0 ? 1 : 0) ^ carry);
                for (int k = 0; k < c; k++) {
                    int out = (int) (r & 1);
                    r = (r >>> 1) | (carry != 0 ? sb : 0);
                    carry = out;
                }
                f = (f & ~(FLAG_CF | FLAG_OF)) | carry | (of != 0 ? FLAG_OF : 0);
                setEager(f);
                return r;
            }
            default -> { // SHL/SAL, SHR, SAR
                setEager(LazyFlags.shiftFlags(op, v, count, size));
                return LazyFlags.shift(op, v, count, size);
            }
        }
    }

    // ---- the interpreter -------------------------------------------------------------------------

    private void step(Insn d) {
        long next = rip + d.len;
        if (codeMode != 64) {
            next &= codeMode == 32 ? 0xFFFF_FFFFL : 0xFFFF;
        }
        int size = d.size;
        switch (d.op) {
            case ALU_RM_R -> {
                if (d.mem) {
                    long la = lin(d);
                    long a = read(la, size);
                    long r = alu(d.sub, a, getReg(size, d.reg), size);
                    if (d.sub != 7) {
                        write(la, size, r);
                    }
                } else {
                    long r = alu(d.sub, getReg(size, d.rm), getReg(size, d.reg), size);
                    if (d.sub != 7) {
                        setReg(size, d.rm, r);
                    }
                }
            }
            case ALU_R_RM -> {
                long r = alu(d.sub, getReg(size, d.reg), readRm(d, size), size);
                if (d.sub != 7) {
                    setReg(size, d.reg, r);
                }
            }
            case ALU_RM_I -> {
                long imm = d.imm & mask(size);
                if (d.mem) {
                    long la = lin(d);
                    long r = alu(d.sub, read(la, size), imm, size);
                    if (d.sub != 7) {
                        write(la, size, r);
                    }
                } else {
                    long r = alu(d.sub, getReg(size, d.rm), imm, size);
                    if (d.sub != 7) {
                        setReg(size, d.rm, r);
                    }
                }
            }
            case TEST_RM_R -> alu(4, readRm(d, size), getReg(size, d.reg), size);
            case TEST_RM_I -> alu(4, readRm(d, size), d.imm & mask(size), size);
            case MOV_RM_R -> writeRm(d, size, getReg(size, d.reg));
            case MOV_R_RM -> setReg(size, d.reg, readRm(d, size));
            case MOV_RM_I -> writeRm(d, size, d.imm);
            case MOV_R_I -> setReg(size, d.reg, d.imm);
            case LEA -> setReg(size, d.reg, ea(d));
            case MOVZX -> setReg(size, d.reg, readRm(d, d.sub));
            case MOVSX -> setReg(size, d.reg, sext(readRm(d, d.sub), d.sub));
            case MOVSXD -> setReg(size, d.reg, size == 8 ? sext(readRm(d, 4), 4) : readRm(d, size));
            case XCHG -> {
                if (d.mem) {
                    long la = lin(d);
                    long a = read(la, size);
                    write(la, size, getReg(size, d.reg));
                    setReg(size, d.reg, a);
                } else {
                    long a = getReg(size, d.rm);
                    setReg(size, d.rm, getReg(size, d.reg));
                    setReg(size, d.reg, a);
                }
            }
            case NOP -> { }
            case INC, DEC -> {
                int c = arithFlags() & FLAG_CF;
                long m = mask(size);
                if (d.mem) {
                    long la = lin(d);
                    long a = read(la, size);
                    long r = (d.op == INC ? a + 1 : a - 1) & m;
                    write(la, size, r);
                    setCc(d.op == INC ? CC_INC : CC_DEC, a, 1, r, size);
                } else {
                    long a = getReg(size, d.rm);
                    long r = (d.op == INC ? a + 1 : a - 1) & m;
                    setReg(size, d.rm, r);
                    setCc(d.op == INC ? CC_INC : CC_DEC, a, 1, r, size);
                }
                ccCarry = c;
            }
            case NOT -> {
                if (d.mem) {
                    long la = lin(d);
                    write(la, size, ~read(la, size));
                } else {
                    setReg(size, d.rm, ~getReg(size, d.rm));
                }
            }
            case NEG -> {
                long a;
                long la = 0;
                if (d.mem) {
                    la = lin(d);
                    a = read(la, size);
                } else {
                    a = getReg(size, d.rm);
                }
                long r = alu(5, 0, a, size);
                if (d.mem) {
                    write(la, size, r);
                } else {
                    setReg(size, d.rm, r);
                }
            }
            case MUL, IMUL1 -> mulOne(d, size, d.op == IMUL1);
            case DIV, IDIV -> divide(d, size, d.op == IDIV);
            case IMUL_R_RM -> setReg(size, d.reg, imul(getReg(size, d.reg), readRm(d, size), size));
            case IMUL_R_RM_I -> setReg(size, d.reg, imul(readRm(d, size), d.imm, size));
            case SHIFT -> {
                int count = d.imm < 0 ? (int) regs[RCX] & 0xFF : (int) d.imm;
                if (d.mem) {
                    long la = lin(d);
                    write(la, size, shift(d.sub, read(la, size), count, size));
                } else {
                    setReg(size, d.rm, shift(d.sub, getReg(size, d.rm), count, size));
                }
            }
            case SHLD, SHRD -> doubleShift(d, size, d.op == SHLD);
            case BT -> bitTest(d, size, d.sub, getReg(size, d.reg), true);
            case BT_I -> bitTest(d, size, d.sub, d.imm, false);
            case BSF, BSR -> {
                long v = readRm(d, size);
                int f = arithFlags() & ~FLAG_ZF;
                if (v == 0) {
                    setEager(f | FLAG_ZF);
                } else {
                    setReg(size, d.reg, d.op == BSF ? Long.numberOfTrailingZeros(v) : 63 - Long.numberOfLeadingZeros(v));
                    setEager(f);
                }
            }
            case POPCNT -> {
                long v = readRm(d, size);
                setReg(size, d.reg, Long.bitCount(v));
                setEager(v == 0 ? FLAG_ZF : 0);
            }
            case BSWAP -> {
                if (size == 8) {
                    regs[d.reg] = Long.reverseBytes(regs[d.reg]);
                } else if (size == 4) {
                    setReg(4, d.reg, Integer.reverseBytes((int) regs[d.reg]) & 0xFFFF_FFFFL);
                } else {
                    setReg(2, d.reg, 0);
                }
            }
            case PUSH_R -> push(size, getReg(size, d.reg));
            case POP_R -> setReg(size, d.reg, pop(size));
            case PUSH_I -> push(size, d.imm);
            case PUSH_RM -> push(size, readRm(d, size));
            case POP_RM -> {
                long v = peek(size, 0);
                long sp = regs[RSP];
                regs[RSP] = sp + size;
                try {
                    writeRm(d, size, v);
                } catch (RuntimeException e) {
                    regs[RSP] = sp;
                    throw e;
                }
            }
            case PUSHF -> push(size, flags() & 0xFCFFFF);
            case POPF -> popFlags(pop(size), size);
            case PUSH_SREG -> push(size, segSel[d.reg]);
            case POP_SREG -> {
                long v = peek(size, 0);
                loadSegment(d.reg, (int) v & 0xFFFF);
                pop(size);
                if (d.reg == SS) {
                    interruptShadow = true;
                }
            }
            case PUSHA -> {
                long sp = regs[RSP];
                for (int r = 0; r < 8; r++) {
                    push(size, r == RSP ? sp : regs[r]);
                }
            }
            case POPA -> {
                for (int r = 7; r >= 0; r--) {
                    long v = pop(size);
                    if (r != RSP) {
                        setReg(size, r, v);
                    }
                }
            }
            case LEAVE -> {
                long bp = regs[RBP] & stackMask;
                long v = read(linear(SS, bp), size);
                regs[RSP] = stackMask == -1L ? bp + size : (regs[RSP] & ~stackMask) | ((bp + size) & stackMask);
                setReg(size, RBP, v);
            }
            case ENTER -> {
                push(size, getReg(size, RBP));
                long frame = regs[RSP];
                int nesting = (int) d.imm2 & 31;
                for (int k = 1; k < nesting; k++) {
                    push(size, read(linear(SS, (regs[RBP] - (long) k * size) & stackMask), size));
                }
                if (nesting > 0) {
                    push(size, frame);
                }
                setReg(size, RBP, frame);
                regs[RSP] = (regs[RSP] - d.imm) & (stackMask == -1L ? -1L : stackMask) | (stackMask == -1L ? 0 : regs[RSP] & ~stackMask);
            }
            case CALL_REL -> {
                push(size, next);
                next = branchTarget(next + d.imm, size);
            }
            case CALL_RM -> {
                long t = readRm(d, size);
                push(size, next);
                next = branchTarget(t, size);
            }
            case RET -> {
                long t = pop(size);
                regs[RSP] = (regs[RSP] + d.imm) & (stackMask == -1L ? -1L : 0xFFFF_FFFFL);
                next = branchTarget(t, size);
            }
            case JMP_REL -> next = branchTarget(next + d.imm, size);
            case JMP_RM -> next = branchTarget(readRm(d, size), size);
            case JCC -> {
                if (cond(d.sub)) {
                    next = branchTarget(next + d.imm, codeMode == 64 ? 8 : d.size);
                }
            }
            case LOOP -> {
                long m = addrMask(d.asize);
                long c = (regs[RCX] - 1) & m;
                regs[RCX] = d.asize == 8 ? c : (regs[RCX] & ~m) | c;
                if (d.asize == 4 && codeMode == 64) {
                    regs[RCX] = c;
                }
                boolean take = c != 0 && (d.sub == 2 || (d.sub == 1) == ((arithFlags() & FLAG_ZF) != 0));
                if (take) {
                    next = branchTarget(next + d.imm, codeMode == 64 ? 8 : d.size);
                }
            }
            case JCXZ -> {
                if ((regs[RCX] & addrMask(d.asize)) == 0) {
                    next = branchTarget(next + d.imm, codeMode == 64 ? 8 : d.size);
                }
            }
            case SETCC -> writeRm(d, 1, cond(d.sub) ? 1 : 0);
            case CMOVCC -> {
                long v = readRm(d, size);
                if (cond(d.sub)) {
                    setReg(size, d.reg, v);
                } else if (size == 4) {
                    setReg(4, d.reg, regs[d.reg]);
                }
            }
            case CBW -> {
                int half = size / 2;
                setReg(size, RAX, sext(getReg(half, RAX), half));
            }
            case CWD -> {
                long s = sext(getReg(size, RAX), size) < 0 ? -1L : 0;
                setReg(size, RDX, s);
            }
            default -> {
                if (!stepRare(d, next, size)) {
                    return;
                }
            }
        }
        rip = next;
    }

    /**
     * The less frequent instructions, kept out of {@link #step} so the hot switch stays small
     * enough for the JIT. Returns false when the instruction has set RIP itself (branches,
     * interrupts, and exits whose handler completes the instruction).
     */
    private boolean stepRare(Insn d, long next, int size) {
        switch (d.op) {
            case MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS -> stringOp(d, size);
            case IN -> {
                int port = d.sub == 1 ? (int) d.imm : (int) regs[RDX] & 0xFFFF;
                long v = portIo(port, size, true, 0, false, false, d.sub == 1, d);
                setReg(size, RAX, v);
            }
            case OUT -> {
                int port = d.sub == 1 ? (int) d.imm : (int) regs[RDX] & 0xFFFF;
                portIo(port, size, false, getReg(size, RAX), false, false, d.sub == 1, d);
            }
            case FLAGOP -> {
                switch (d.sub) {
                    case F_CLC -> setEager(arithFlags() & ~FLAG_CF);
                    case F_STC -> setEager(arithFlags() | FLAG_CF);
                    case F_CMC -> setEager(arithFlags() ^ FLAG_CF);
                    case F_CLD -> flagsRest &= ~FLAG_DF;
                    case F_STD -> flagsRest |= FLAG_DF;
                    case F_CLI -> {
                        checkIopl();
                        flagsRest &= ~FLAG_IF;
                    }
                    default -> {
                        checkIopl();
                        if ((flagsRest & FLAG_IF) == 0) {
                            interruptShadow = true;
                        }
                        flagsRest |= FLAG_IF;
                    }
                }
            }
            case SAHF -> setEager((arithFlags() & FLAG_OF) | ((int) (regs[RAX] >>> 8) & (ARITH_FLAGS & 0xFF)));
            case LAHF -> setReg(1, 4 | Insn.HIGH_BYTE, flags() & 0xFF);
            case XLAT -> setReg(1, RAX, read(linear(d.seg, (regs[RBX] + (regs[RAX] & 0xFF)) & addrMask(d.asize)), 1));
            case INT3 -> {
                rip = next;
                if ((exceptionIntercepts & (1 << Fault.BP)) != 0) {
                    exceptionExit(Fault.BP, 0, false);
                    return false;
                }
                deliverSoftware(3, next);
                return false;
            }
            case INT -> {
                rip = next;
                deliverSoftware((int) d.imm, next);
                return false;
            }
            case INTO -> {
                if ((arithFlags() & FLAG_OF) != 0) {
                    rip = next;
                    deliverSoftware(4, next);
                    return false;
                }
            }
            case IRET -> {
                iret(d);
                return false;
            }
            case HLT -> {
                checkPrivileged();
                instructionExit(X86ExitKind.HLT, 0, 0, 0, d);
                return false;
            }
            case PAUSE -> {
                instructionExit(X86ExitKind.PAUSE, 0, 0, 0, d);
                return false;
            }
            case CPUID -> {
                instructionExit(X86ExitKind.CPUID, 0, 0, (regs[RAX] & 0xFFFF_FFFFL) | (regs[RCX] << 32), d);
                return false;
            }
            case RDMSR, WRMSR -> {
                checkPrivileged();
                X86ExitKind k = d.op == RDMSR ? X86ExitKind.MSR_READ : X86ExitKind.MSR_WRITE;
                instructionExit(k, amd ? (d.op == WRMSR ? 1 : 0) : 0, 0, regs[RCX] & 0xFFFF_FFFFL, d);
                return false;
            }
            case RDTSC -> {
                if ((cr4 & 4) != 0 && cpl != 0) {
                    throw Fault.gp(0);
                }
                regs[RAX] = time & 0xFFFF_FFFFL;
                regs[RDX] = time >>> 32;
            }
            case RDTSCP -> {
                regs[RAX] = time & 0xFFFF_FFFFL;
                regs[RDX] = time >>> 32;
                regs[RCX] = tscAux & 0xFFFF_FFFFL;
            }
            case RDPMC -> {
                regs[RAX] = 0;
                regs[RDX] = 0;
            }
            case RDRAND -> {
                setReg(size, d.rm, 0x5DEECE66DL * (time + 11));
                setEager(FLAG_CF);
            }
            case MOV_R_CR -> {
                checkPrivileged();
                setReg(8, d.rm, readCr(d.reg) & (codeMode == 64 ? -1L : 0xFFFF_FFFFL));
            }
            case MOV_CR_R -> {
                checkPrivileged();
                if (d.reg == 2) {
                    cr2 = regs[d.rm];
                } else if (d.reg == 0 || d.reg == 3 || d.reg == 4 || d.reg == 8) {
                    long q = X86ExitEncoding.vmxCr(d.reg, X86ExitEncoding.CR_MOV_TO, d.rm, 0);
                    crExit(q, d);
                    return false;
                } else {
                    throw Fault.of(Fault.UD);
                }
            }
            case MOV_R_DR -> {
                checkPrivileged();
                int n = d.reg == 4 ? 6 : d.reg == 5 ? 7 : d.reg;
                setReg(8, d.rm, n < 8 ? dr[n] : 0);
            }
            case MOV_DR_R -> {
                checkPrivileged();
                int n = d.reg == 4 ? 6 : d.reg == 5 ? 7 : d.reg;
                if (n < 8) {
                    dr[n] = regs[d.rm];
                }
            }
            case CLTS -> {
                checkPrivileged();
                crExit(X86ExitEncoding.vmxCr(0, X86ExitEncoding.CR_CLTS, 0, 0), d);
                return false;
            }
            case LMSW -> {
                checkPrivileged();
                int v = (int) readRm(d, 2);
                crExit(X86ExitEncoding.vmxCr(0, X86ExitEncoding.CR_LMSW, 0, v), d);
                return false;
            }
            case SMSW -> {
                if (d.mem) {
                    write(lin(d), 2, cr0);
                } else {
                    setReg(size, d.rm, cr0);
                }
            }
            case LGDT, LIDT -> {
                checkPrivileged();
                long la = lin(d);
                int limit = (int) read(la, 2);
                long base = read(la + 2, codeMode == 64 ? 8 : 4);
                if (codeMode != 64 && size == 2) {
                    base &= 0xFFFFFF;
                }
                if (d.op == LGDT) {
                    gdtBase = base;
                    gdtLimit = limit;
                } else {
                    idtBase = base;
                    idtLimit = limit;
                }
            }
            case SGDT, SIDT -> {
                long la = lin(d);
                write(la, 2, d.op == SGDT ? gdtLimit : idtLimit);
                write(la + 2, codeMode == 64 ? 8 : 4, d.op == SGDT ? gdtBase : idtBase);
            }
            case LLDT -> {
                checkPrivileged();
                int sel = (int) readRm(d, 2);
                ldtSel = sel;
                if ((sel & ~3) == 0) {
                    ldtBase = 0;
                    ldtLimit = 0;
                } else {
                    long[] desc = descriptor(sel);
                    ldtBase = descBase(desc);
                    ldtLimit = descLimit(desc);
                }
            }
            case LTR -> {
                checkPrivileged();
                int sel = (int) readRm(d, 2);
                long[] desc = descriptor(sel);
                trSel = sel;
                trBase = descBase(desc);
                trLimit = descLimit(desc);
                // mark the TSS busy
                long la = gdtBase + (sel & ~7);
                writeSystem(la + 4, 4, (desc[0] >>> 32) | 0x200);
            }
            case SLDT -> writeRm(d, d.mem ? 2 : size, ldtSel);
            case STR -> writeRm(d, d.mem ? 2 : size, trSel);
            case INVLPG -> {
                checkPrivileged();
                long la = lin(d);
                instructionExit(X86ExitKind.INVLPG, la, 0, 0, d);
                return false;
            }
            case INVPCID -> {
                checkPrivileged();
                long type = regs[d.reg];
                long la = lin(d);
                // the 128-bit descriptor: PCID in bits 11:0, linear address in bits 127:64
                invpcidDescriptorLow = read(la, 8);
                invpcidDescriptorAddress = read(la + 8, 8);
                instructionExit(X86ExitKind.INVPCID, 0, 0, type | (la << 8), d);
                return false;
            }
            case SWAPGS -> {
                checkPrivileged();
                long t = segBase[GS];
                segBase[GS] = kernelGsBase;
                kernelGsBase = t;
            }
            case VMCALL -> {
                instructionExit(X86ExitKind.VMCALL, 0, 0, regs[RAX], d);
                return false;
            }
            case TDCALL -> {
                tdcall(d);
                return false;
            }
            case XGETBV -> {
                if ((cr4 & CR4_OSXSAVE) == 0) {
                    throw Fault.of(Fault.UD);
                }
                long v = (regs[RCX] & 0xFFFF_FFFFL) == 0 ? xcr0 : 0;
                regs[RAX] = v & 0xFFFF_FFFFL;
                regs[RDX] = v >>> 32;
            }
            case XSETBV -> {
                checkPrivileged();
                if ((cr4 & CR4_OSXSAVE) == 0) {
                    throw Fault.of(Fault.UD);
                }
                instructionExit(X86ExitKind.XSETBV, 0, 0, regs[RCX] & 0xFFFF_FFFFL, d);
                return false;
            }
            case WBINVD, INVD -> {
                checkPrivileged();
                instructionExit(d.op == WBINVD ? X86ExitKind.WBINVD : X86ExitKind.INVD, 0, 0, 0, d);
                return false;
            }
            case MONITOR -> { }
            case MWAIT -> {
                checkPrivileged();
                instructionExit(X86ExitKind.HLT, 0, 0, 0, d);
                return false;
            }
            case CLAC -> flagsRest &= ~FLAG_AC;
            case STAC -> flagsRest |= FLAG_AC;
            case SYSCALL -> {
                syscall(next);
                return false;
            }
            case SYSRET -> {
                sysret(d);
                return false;
            }
            case CMPXCHG -> {
                long la = d.mem ? lin(d) : 0;
                long cur = d.mem ? read(la, size) : getReg(size, d.rm);
                long acc = getReg(size, RAX);
                alu(7, acc, cur, size);
                if (acc == cur) {
                    if (d.mem) {
                        write(la, size, getReg(size, d.reg));
                    } else {
                        setReg(size, d.rm, getReg(size, d.reg));
                    }
                } else {
                    if (d.mem) {
                        write(la, size, cur);
                    }
                    setReg(size, RAX, cur);
                }
            }
            case XADD -> {
                long la = d.mem ? lin(d) : 0;
                long cur = d.mem ? read(la, size) : getReg(size, d.rm);
                long src = getReg(size, d.reg);
                long sum = alu(0, cur, src, size);
                if (d.mem) {
                    write(la, size, sum);
                    setReg(size, d.reg, cur);
                } else {
                    setReg(size, d.reg, cur);
                    setReg(size, d.rm, sum);
                }
            }
            case CMPXCHG8B -> {
                long la = lin(d);
                int f = arithFlags();
                if (size == 8) {
                    if ((la & 15) != 0) {
                        throw Fault.gp(0);
                    }
                    long lo = read(la, 8);
                    long hi = read(la + 8, 8);
                    if (lo == regs[RAX] && hi == regs[RDX]) {
                        write(la, 8, regs[RBX]);
                        write(la + 8, 8, regs[RCX]);
                        setEager(f | FLAG_ZF);
                    } else {
                        write(la, 8, lo);
                        regs[RAX] = lo;
                        regs[RDX] = hi;
                        setEager(f & ~FLAG_ZF);
                    }
                } else {
                    long v = read(la, 8);
                    long cmp = (regs[RAX] & 0xFFFF_FFFFL) | (regs[RDX] << 32);
                    if (v == cmp) {
                        write(la, 8, (regs[RBX] & 0xFFFF_FFFFL) | (regs[RCX] << 32));
                        setEager(f | FLAG_ZF);
                    } else {
                        write(la, 8, v);
                        regs[RAX] = v & 0xFFFF_FFFFL;
                        regs[RDX] = v >>> 32;
                        setEager(f & ~FLAG_ZF);
                    }
                }
            }
            case MOV_RM_SREG -> writeRm(d, d.mem ? 2 : size, segSel[d.reg]);
            case MOV_SREG_RM -> {
                loadSegment(d.reg, (int) readRm(d, 2) & 0xFFFF);
                if (d.reg == SS) {
                    interruptShadow = true;
                }
            }
            case LSEG -> {
                long la = lin(d);
                long off = read(la, size == 8 ? 8 : size);
                int sel = (int) read(la + size, 2);
                loadSegment(d.sub, sel);
                setReg(size, d.reg, off);
            }
            case JMPF -> {
                if (isTaskTarget((int) d.imm2)) {
                    requestTaskSwitch((int) d.imm2, TS_JMP, next, false, 0, d.len);
                    return false;
                }
                farJump((int) d.imm2, d.imm);
                return false;
            }
            case JMPF_M -> {
                long la = lin(d);
                long off = read(la, size);
                int sel = (int) read(la + size, 2);
                if (isTaskTarget(sel)) {
                    requestTaskSwitch(sel, TS_JMP, next, false, 0, d.len);
                    return false;
                }
                farJump(sel, off);
                return false;
            }
            case CALLF, CALLF_M -> {
                long off;
                int sel;
                if (d.op == CALLF) {
                    off = d.imm;
                    sel = (int) d.imm2;
                } else {
                    long la = lin(d);
                    off = read(la, size);
                    sel = (int) read(la + size, 2);
                }
                if (isTaskTarget(sel)) {
                    requestTaskSwitch(sel, TS_CALL, next, false, 0, d.len);
                    return false;
                }
                int oldCs = segSel[CS];
                int psize = size == 8 ? 8 : size;
                push(psize, oldCs);
                push(psize, next);
                farJump(sel, off);
                return false;
            }
            case RETF -> {
                int psize = size;
                long off = pop(psize);
                int sel = (int) pop(psize) & 0xFFFF;
                regs[RSP] += d.imm;
                farJump(sel, off);
                return false;
            }
            case FXSAVE -> fxsave(lin(d));
            case FXRSTOR -> fxrstor(lin(d));
            case XSAVE -> {
                if ((cr4 & CR4_OSXSAVE) == 0) {
                    throw Fault.of(Fault.UD);
                }
                long la = lin(d);
                fxsave(la);
                write(la + 512, 8, read(la + 512, 8) | (regs[RAX] & xcr0 & 3));
            }
            case XRSTOR -> {
                if ((cr4 & CR4_OSXSAVE) == 0) {
                    throw Fault.of(Fault.UD);
                }
                fxrstor(lin(d));
            }
            case SSE_LOAD, SSE_STORE, SSE_TO_XMM, SSE_FROM_XMM, SSE_XOR -> sse(d);
            case MOVNTI -> write(lin(d), size, getReg(size, d.reg));
            case LDMXCSR -> mxcsr = (int) read(lin(d), 4) & 0xFFFF;
            case STMXCSR -> write(lin(d), 4, mxcsr);
            case FPU -> x87(d);
            case SSE_OP -> sseOp(d);
            default -> throw Fault.of(Fault.UD);
        }
        return true;
    }

    private long branchTarget(long t, int size) {
        if (codeMode == 64) {
            return size == 2 ? t & 0xFFFF : t;
        }
        return size == 2 ? t & 0xFFFF : t & 0xFFFF_FFFFL;
    }

    private void checkPrivileged() {
        if (cpl != 0) {
            throw Fault.gp(0);
        }
    }

    private void checkIopl() {
        if (cpl > ((flagsRest >> 12) & 3) && (cr0 & CR0_PE) != 0) {
            throw Fault.gp(0);
        }
    }

    private void crExit(long vmxQual, Insn d) {
        int cr = X86ExitEncoding.vmxCrNumber(vmxQual);
        if (amd) {
            exit.set(X86ExitKind.svmCrReason(cr, X86ExitEncoding.crWrites(vmxQual)),
                    X86ExitEncoding.svmCrInfo1(vmxQual), 0, vmxQual, rip, d.len, time);
        } else {
            exit.set(X86ExitKind.CR_ACCESS.vmxReason(), vmxQual, 0, vmxQual, rip, d.len, time);
        }
        hostExit();
        if (!hasPendingExit() && pendingException >= 0) {
            raisePending();
        }
    }

    private void popFlags(long v, int size) {
        long keep;
        if (cpl == 0) {
            keep = 0;
        } else {
            keep = 0x3000 | (cpl > ((flagsRest >> 12) & 3) ? FLAG_IF : 0); // IOPL, and IF without privilege
        }
        long f = flags();
        long mask = size == 2 ? 0xFFFF : 0x3F7FD7;
        mask &= ~(long) (0x30000) ; // VM, RF are never set by POPF
        long nf = (f & ~mask) | (v & mask);
        nf = (nf & ~keep) | (f & keep);
        setFlags(nf);
    }

    private long imul(long a, long b, int size) {
        setEager(LazyFlags.imulFlags(a, b, size));
        return LazyFlags.imul(a, b, size);
    }

    private void mulOne(Insn d, int size, boolean signed) {
        long src = readRm(d, size);
        long a = getReg(size, RAX);
        long lo, hi;
        if (size == 8) {
            lo = a * src;
            hi = signed ? Math.multiplyHigh(a, src) : Math.unsignedMultiplyHigh(a, src);
        } else {
            long full = signed ? sext(a, size) * sext(src, size) : a * src;
            lo = full & mask(size);
            hi = (full >> (size * 8)) & mask(size);
        }
        boolean overflow;
        if (size == 8) {
            overflow = signed ? hi != (lo >> 63) : hi != 0;
        } else if (signed) {
            long full = sext(a, size) * sext(src, size);
            overflow = full != sext(full & mask(size), size);
        } else {
            overflow = hi != 0;
        }
        if (size == 1) {
            setReg(2, RAX, (hi << 8) | lo);
        } else {
            setReg(size, RAX, lo);
            setReg(size, RDX, hi);
        }
        setEager((overflow ? FLAG_CF | FLAG_OF : 0) | zsp(lo, size));
    }

    private void divide(Insn d, int size, boolean signed) {
        long divisor = readRm(d, size);
        if ((divisor & mask(size)) == 0) {
            throw Fault.of(Fault.DE);
        }
        long q, r;
        if (size == 8) {
            long hi = regs[RDX], lo = regs[RAX];
            if (!signed && hi == 0) {
                q = Long.divideUnsigned(lo, divisor);
                r = Long.remainderUnsigned(lo, divisor);
            } else if (signed && hi == (lo >> 63) && !(lo == Long.MIN_VALUE && divisor == -1)) {
                q = lo / divisor;
                r = lo % divisor;
            } else {
                BigInteger n = new BigInteger(1, toBytes(hi, lo));
                if (signed && hi < 0) {
                    n = n.subtract(BigInteger.ONE.shiftLeft(128));
                }
                BigInteger dv = signed ? BigInteger.valueOf(divisor) : new BigInteger(Long.toUnsignedString(divisor));
                BigInteger[] qr = n.divideAndRemainder(dv);
                if (signed ? qr[0].bitLength() > 63 : qr[0].signum() < 0 || qr[0].bitLength() > 64) {
                    throw Fault.of(Fault.DE);
                }
                q = qr[0].longValue();
                r = qr[1].longValue();
            }
            regs[RAX] = q;
            regs[RDX] = r;
            return;
        }
        long dividend;
        if (size == 1) {
            dividend = regs[RAX] & 0xFFFF;
            if (signed) {
                dividend = sext(dividend, 2);
            }
        } else {
            dividend = (getReg(size, RDX) << (size * 8)) | getReg(size, RAX);
            if (signed) {
                dividend = sext(dividend, size * 2);
            }
        }
        long dv = signed ? sext(divisor, size) : divisor;
        if (signed) {
            q = dividend / dv;
            r = dividend % dv;
            if (q != sext(q & mask(size), size)) {
                throw Fault.of(Fault.DE);
            }
        } else {
            q = Long.divideUnsigned(dividend, dv);
            r = Long.remainderUnsigned(dividend, dv);
            if ((q & ~mask(size)) != 0) {
                throw Fault.of(Fault.DE);
            }
        }
        if (size == 1) {
            setReg(2, RAX, ((r & 0xFF) << 8) | (q & 0xFF));
        } else {
            setReg(size, RAX, q);
            setReg(size, RDX, r);
        }
    }

    private static byte[] toBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    private void doubleShift(Insn d, int size, boolean left) {
        int count = (int) (d.imm < 0 ? regs[RCX] : d.imm) & (size == 8 ? 63 : 31);
        long la = d.mem ? lin(d) : 0;
        long dst = d.mem ? read(la, size) : getReg(size, d.rm);
        if (count == 0) {
            return;
        }
        int bits = size * 8;
        long src = getReg(size, d.reg);
        long m = mask(size);
        long r;
        int cfBit;
        if (count > bits) {
            // undefined result for 16-bit operands; keep something deterministic
            count %= bits;
            if (count == 0) {
                return;
            }
        }
        if (left) {
            r = ((dst << count) | (count == 64 ? 0 : src >>> (bits - count))) & m;
            cfBit = (int) ((dst >>> (bits - count)) & 1);
        } else {
            r = ((dst >>> count) | (src << (bits - count))) & m;
            cfBit = (int) ((dst >>> (count - 1)) & 1);
        }
        int of = ((r ^ dst) & signBit(size)) != 0 ? FLAG_OF : 0;
        setEager(cfBit | zsp(r, size) | of);
        if (d.mem) {
            write(la, size, r);
        } else {
            setReg(size, d.rm, r);
        }
    }

    private void bitTest(Insn d, int size, int op, long bitOffset, boolean registerOffset) {
        int bits = size * 8;
        long la = 0;
        long v;
        int bit;
        if (d.mem) {
            long base = lin(d);
            if (registerOffset) {
                long off = sext(bitOffset & mask(size), size);
                la = base + (off >> 3 & ~(long) (size - 1));
                bit = (int) (off & (bits - 1));
            } else {
                la = base;
                bit = (int) (bitOffset & (bits - 1));
            }
            if (codeMode != 64) {
                la &= 0xFFFF_FFFFL;
            }
            v = read(la, size);
        } else {
            v = getReg(size, d.rm);
            bit = (int) (bitOffset & (bits - 1));
        }
        int c = (int) ((v >>> bit) & 1);
        setEager((arithFlags() & ~FLAG_CF) | c);
        if (op == 0) {
            return;
        }
        long nv = switch (op) {
            case 1 -> v | (1L << bit);
            case 2 -> v & ~(1L << bit);
            default -> v ^ (1L << bit);
        };
        if (d.mem) {
            write(la, size, nv);
        } else {
            setReg(size, d.rm, nv);
        }
    }

    // ---- string instructions -----------------------------------------------------------------

    private void stringOp(Insn d, int size) {
        long am = addrMask(d.asize);
        int step = (flagsRest & FLAG_DF) != 0 ? -size : size;
        boolean rep = d.rep != 0;
        if (rep && (regs[RCX] & am) == 0) {
            return;
        }
        long srcBase = segBaseFor(d.seg);
        long dstBase = segBaseFor(ES);
        long laMask = codeMode == 64 ? -1L : 0xFFFF_FFFFL;
        int iterations = 0;
        while (true) {
            long si = regs[RSI] & am;
            long di = regs[RDI] & am;
            boolean compare = false;
            switch (d.op) {
                case MOVS -> write((dstBase + di) & laMask, size, read((srcBase + si) & laMask, size));
                case STOS -> write((dstBase + di) & laMask, size, getReg(size, RAX));
                case LODS -> setReg(size, RAX, read((srcBase + si) & laMask, size));
                case CMPS -> {
                    long a = read((srcBase + si) & laMask, size);
                    long b = read((dstBase + di) & laMask, size);
                    alu(7, a, b, size);
                    compare = true;
                }
                case SCAS -> {
                    alu(7, getReg(size, RAX), read((dstBase + di) & laMask, size), size);
                    compare = true;
                }
                case INS -> {
                    long v = portIo((int) regs[RDX] & 0xFFFF, size, true, 0, true, rep, false, d);
                    write((dstBase + di) & laMask, size, v);
                }
                default -> { // OUTS
                    long v = read((srcBase + si) & laMask, size);
                    portIo((int) regs[RDX] & 0xFFFF, size, false, v, true, rep, false, d);
                }
            }
            boolean usesSi = d.op == MOVS || d.op == LODS || d.op == CMPS || d.op == OUTS;
            boolean usesDi = d.op != LODS && d.op != OUTS;
            if (usesSi) {
                regs[RSI] = addr(RSI, si + step, am);
            }
            if (usesDi) {
                regs[RDI] = addr(RDI, di + step, am);
            }
            if (!rep) {
                return;
            }
            long c = (regs[RCX] - 1) & am;
            regs[RCX] = addr(RCX, c, am);
            iterations++;
            if (c == 0) {
                break;
            }
            if (compare) {
                boolean zf = (arithFlags() & FLAG_ZF) != 0;
                if ((d.rep == 1 && !zf) || (d.rep == 2 && zf)) {
                    break;
                }
            }
            if (iterations >= 4096 || vm.stopRequested()) {
                // Long REP runs give way to interrupts and run control; the instruction resumes.
                time += iterations;
                throw RepYield.INSTANCE;
            }
        }
        time += iterations;
    }

    private long addr(int reg, long v, long am) {
        if (am == -1L) {
            return v;
        }
        if (am == 0xFFFF_FFFFL) {
            return v & am;
        }
        return (regs[reg] & ~am) | (v & am);
    }

    /** Ends a REP string instruction early with RIP still at it, so it continues later. */
    static final class RepYield extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final RepYield INSTANCE = new RepYield();

        private RepYield() {
            super(null, null, false, false);
        }
    }

    // ---- segments and far transfers --------------------------------------------------------------

    /** The 8-byte descriptor of a selector as {low|high<<32} in [0] and the next 8 bytes in [1]. */
    long[] descriptor(int sel) {
        long tableBase = (sel & 4) != 0 ? ldtBase : gdtBase;
        int limit = (sel & 4) != 0 ? ldtLimit : gdtLimit;
        int off = sel & ~7;
        if (off + 7 > limit) {
            throw Fault.gp(sel & ~3);
        }
        long lo = readSystem(tableBase + off, 8);
        long hi = off + 15 <= limit ? readSystem(tableBase + off + 8, 8) : 0;
        return new long[] {lo, hi};
    }

    static long descBase(long[] d) {
        long lo = d[0];
        long base = ((lo >>> 16) & 0xFFFFFF) | (((lo >>> 56) & 0xFF) << 24);
        boolean system = ((lo >>> 44) & 1) == 0;
        if (system) {
            base |= (d[1] & 0xFFFF_FFFFL) << 32;
        }
        return base;
    }

    static int descLimit(long[] d) {
        long lo = d[0];
        long limit = (lo & 0xFFFF) | (((lo >>> 48) & 0xF) << 16);
        if (((lo >>> 55) & 1) != 0) {
            limit = (limit << 12) | 0xFFF;
        }
        return (int) limit;
    }

    void loadSegment(int seg, int sel) {
        if ((cr0 & CR0_PE) == 0) {
            segSel[seg] = sel;
            segBase[seg] = (long) sel << 4;
            segLimit[seg] = 0xFFFF;
            if (seg == CS) {
                segAttr[CS] = 0x9B;
                updateMode();
            }
            return;
        }
        if ((sel & ~3) == 0) {
            if (seg == CS || (seg == SS && codeMode != 64)) {
                throw Fault.gp(0);
            }
            segSel[seg] = sel;
            segBase[seg] = 0;
            segAttr[seg] = 0;
            return;
        }
        long[] desc = descriptor(sel);
        long lo = desc[0];
        if (((lo >>> 47) & 1) == 0) {
            throw new Fault(seg == SS ? Fault.SS : Fault.NP, sel & ~3, true);
        }
        // set the accessed bit as the CPU does
        if (((lo >>> 40) & 1) == 0) {
            long tableBase = (sel & 4) != 0 ? ldtBase : gdtBase;
            writeSystem(tableBase + (sel & ~7) + 5, 1, (lo >>> 40) | 1);
            lo |= 1L << 40;
        }
        segSel[seg] = sel;
        segBase[seg] = ((lo >>> 16) & 0xFFFFFF) | (((lo >>> 56) & 0xFF) << 24);
        segLimit[seg] = descLimit(desc);
        segAttr[seg] = (int) (lo >>> 40) & 0xF0FF;
        if (seg == CS) {
            cpl = sel & 3;
        }
        if (seg == CS || seg == SS) {
            updateMode();
        }
    }

    // ---- hardware task switch (32-bit TSS) ----------------------------------------------------

    /** Task-switch sources as the VMX exit qualification numbers them (bits 31:30). */
    public static final int TS_CALL = 0, TS_IRET = 1, TS_JMP = 2, TS_GATE = 3;
    private int tsSelector;
    private int tsSource;
    private long tsReturnEip;
    private boolean tsHasError;
    private int tsError;
    private long taskSwitches;

    public long taskSwitches() {
        return taskSwitches;
    }

    /** A far JMP/CALL target that is a TSS or a task gate (legacy protected mode only). */
    private boolean isTaskTarget(int sel) {
        if ((cr0 & CR0_PE) == 0 || longMode || (sel & ~3) == 0) {
            return false;
        }
        long lo = descriptor(sel)[0];
        if (((lo >>> 44) & 1) != 0) {
            return false; // code or data segment
        }
        int type = (int) (lo >>> 40) & 0xF;
        return type == 5 || type == 9 || type == 0xB || type == 1 || type == 3;
    }

    /**
     * A task switch is an exit that KVM emulates (kvm_task_switch): VMX reason 9 with the new TSS
     * selector in bits 15:0 and the source in bits 31:30 of the qualification; SVM
     * VMEXIT_TASK_SWITCH with the selector in EXITINFO1 and, in EXITINFO2, bit 36 for IRET, bit 38
     * for JMP, bit 44 plus bits 31:0 for an error code. The handler calls {@link #completeTaskSwitch}.
     */
    private void requestTaskSwitch(int sel, int source, long returnEip, boolean hasError, int error, int length) {
        if (source == TS_JMP || source == TS_CALL) {
            long lo = descriptor(sel)[0];
            if (((lo >>> 40) & 0x1F) == 5) { // a task gate: the exit names the TSS it points to
                if (((lo >>> 47) & 1) == 0) {
                    throw new Fault(Fault.NP, sel & ~3, true);
                }
                sel = (int) (lo >>> 16) & 0xFFFF;
            }
        }
        tsSelector = sel & 0xFFFF;
        tsSource = source;
        tsReturnEip = returnEip & 0xFFFF_FFFFL;
        tsHasError = hasError;
        tsError = error;
        long context = source | (hasError ? 4 : 0) | ((error & 0xFFFF_FFFFL) << 32);
        if (amd) {
            long info2 = (source == TS_IRET ? 1L << 36 : 0) | (source == TS_JMP ? 1L << 38 : 0)
                    | (hasError ? (1L << 44) | (error & 0xFFFF_FFFFL) : 0);
            exit.set(X86ExitKind.TASK_SWITCH.svmReason(), tsSelector, info2, context, rip, length, time);
        } else {
            exit.set(X86ExitKind.TASK_SWITCH.vmxReason(), tsSelector | ((long) source << 30), 0, context, rip, length,
                    time);
        }
        hostExit();
        if (!hasPendingExit() && pendingException >= 0) {
            raisePending();
        }
    }

    /** The task switch of the current exit (its handler's work); a fault in it is injected. */
    public void completeTaskSwitch() {
        try {
            taskSwitch(tsSelector, tsSource, tsReturnEip, tsHasError, tsError);
            taskSwitches++;
        } catch (Fault f) {
            injectException(f.vector, f.errorCode);
        }
    }

    private void setTssBusy(int sel, boolean busy) {
        long la = gdtBase + (sel & ~7) + 5;
        int access = (int) readSystem(la, 1);
        writeSystem(la, 1, busy ? access | 2 : access & ~2);
    }

    /** SDM 7.3: save the current task in its TSS, load the new one, link or unlink, mark busy. */
    private void taskSwitch(int sel, int source, long returnEip, boolean hasError, int error) {
        boolean fromIret = source == TS_IRET;
        long[] desc = descriptor(sel);
        int type = (int) (desc[0] >>> 40) & 0x1F;
        if (type == 5 && source != TS_GATE && source != TS_IRET) {
            // a task gate in the GDT/LDT names the TSS
            if (((desc[0] >>> 47) & 1) == 0) {
                throw new Fault(Fault.NP, sel & ~3, true);
            }
            sel = (int) (desc[0] >>> 16) & 0xFFFF;
            desc = descriptor(sel);
            type = (int) (desc[0] >>> 40) & 0x1F;
        }
        int errSel = sel & ~3;
        if ((sel & 4) != 0) {
            throw fromIret ? new Fault(Fault.TS, errSel, true) : Fault.gp(errSel);
        }
        if (fromIret ? type != 0xB : type != 9) {
            throw fromIret ? new Fault(Fault.TS, errSel, true) : Fault.gp(errSel); // 16-bit TSS or busy/available mismatch
        }
        if (((desc[0] >>> 47) & 1) == 0) {
            throw new Fault(Fault.NP, errSel, true);
        }
        int limit = descLimit(desc);
        if (limit < 0x67) {
            throw new Fault(Fault.TS, errSel, true);
        }
        long newBase = descBase(desc) & 0xFFFF_FFFFL;
        // read the new task's state first (the old TSS may be written over it)
        long newCr3 = readSystem(newBase + 0x1C, 4);
        long newEip = readSystem(newBase + 0x20, 4);
        long newFlags = readSystem(newBase + 0x24, 4);
        long[] newRegs = new long[8];
        for (int i = 0; i < 8; i++) {
            newRegs[i] = readSystem(newBase + 0x28 + 4L * i, 4);
        }
        int[] newSegs = new int[6];
        for (int s = 0; s < 6; s++) {
            newSegs[s] = (int) readSystem(newBase + 0x48 + 4L * s, 2);
        }
        int newLdt = (int) readSystem(newBase + 0x60, 2);

        // save the outgoing task
        long oldFlags = flags();
        if (fromIret) {
            oldFlags &= ~FLAG_NT;
        }
        writeSystem(trBase + 0x20, 4, returnEip);
        writeSystem(trBase + 0x24, 4, oldFlags);
        for (int i = 0; i < 8; i++) {
            writeSystem(trBase + 0x28 + 4L * i, 4, regs[i]);
        }
        for (int s = 0; s < 6; s++) {
            writeSystem(trBase + 0x48 + 4L * s, 2, segSel[s]);
        }
        if (source == TS_JMP || fromIret) {
            setTssBusy(trSel, false);
        }
        if (source == TS_CALL || source == TS_GATE) {
            writeSystem(newBase, 2, trSel); // back link
            newFlags |= FLAG_NT;
        }
        if (!fromIret) {
            setTssBusy(sel, true);
        }
        trSel = sel;
        trBase = newBase;
        trLimit = limit;
        cr0 |= CR0_TS;

        // load the incoming task
        if ((cr0 & CR0_PG) != 0) {
            writeCr(3, newCr3);
        }
        setFlags(newFlags | 2);
        for (int i = 0; i < 8; i++) {
            regs[i] = newRegs[i];
        }
        if ((newLdt & ~3) == 0) {
            ldtSel = newLdt;
            ldtBase = 0;
            ldtLimit = 0;
        } else {
            if ((newLdt & 4) != 0) {
                throw new Fault(Fault.TS, newLdt & ~3, true);
            }
            long[] ld = descriptor(newLdt);
            ldtSel = newLdt;
            ldtBase = descBase(ld) & 0xFFFF_FFFFL;
            ldtLimit = descLimit(ld);
        }
        rip = newEip;
        loadSegment(CS, newSegs[CS]);
        for (int s : new int[] {SS, DS, ES, FS, GS}) {
            loadSegment(s, newSegs[s]);
        }
        updateMode();
        if (hasError) {
            push((segAttr[SS] & 0x4000) != 0 ? 4 : 2, error);
        }
    }

    private void farJump(int sel, long off) {
        if ((cr0 & CR0_PE) == 0) {
            loadSegment(CS, sel);
            rip = off & 0xFFFF;
            return;
        }
        int oldCpl = cpl;
        loadSegment(CS, sel);
        cpl = oldCpl; // same-privilege transfer
        updateMode();
        rip = codeMode == 64 ? off : off & 0xFFFF_FFFFL;
    }

    // ---- SYSCALL / SYSRET ----------------------------------------------------------------------

    private void syscall(long next) {
        if ((efer & EFER_SCE) == 0) {
            throw Fault.of(Fault.UD);
        }
        regs[RCX] = next;
        regs[11] = flags();
        int sel = (int) (star >>> 32) & 0xFFFC;
        segSel[CS] = sel;
        segBase[CS] = 0;
        segAttr[CS] = 0xA09B;
        segSel[SS] = sel + 8;
        segBase[SS] = 0;
        segAttr[SS] = 0xC093;
        cpl = 0;
        setFlags(flags() & ~sfmask & ~FLAG_RF);
        updateMode();
        rip = lstar;
    }

    private void sysret(Insn d) {
        checkPrivileged();
        int sel = (int) (star >>> 48) & 0xFFFF;
        boolean to64 = d.size == 8;
        segSel[CS] = (to64 ? sel + 16 : sel) | 3;
        segBase[CS] = 0;
        segAttr[CS] = to64 ? 0xA0FB : 0xC0FB;
        segSel[SS] = (sel + 8) | 3;
        segAttr[SS] = 0xC0F3;
        cpl = 3;
        setFlags((regs[11] & 0x3C7FD7) | 2);
        updateMode();
        rip = to64 ? regs[RCX] : regs[RCX] & 0xFFFF_FFFFL;
    }

    // ---- SSE data movement ---------------------------------------------------------------------------

    /** SSE instructions need CR4.OSFXSR and CR0.EM clear (#UD), and CR0.TS clear (#NM). */
    private void checkSse() {
        if ((cr4 & CR4_OSFXSR) == 0 || (cr0 & CR0_EM) != 0) {
            throw Fault.of(Fault.UD);
        }
        if ((cr0 & CR0_TS) != 0) {
            throw Fault.of(Fault.NM);
        }
    }

    private void sse(Insn d) {
        checkSse();
        int x = d.reg & 15;
        switch (d.op) {
            case SSE_LOAD -> {
                long lo, hi;
                if (d.mem) {
                    long la = lin(d);
                    if (d.imm == 1 && (la & 15) != 0) {
                        throw Fault.gp(0);
                    }
                    lo = d.sub == 4 ? read(la, 4) : read(la, 8);
                    hi = d.sub == 16 ? read(la + 8, 8) : 0;
                    xmm[2 * x] = lo;
                    xmm[2 * x + 1] = hi; // scalar loads from memory zero the rest
                } else {
                    int r = d.rm & 15;
                    lo = xmm[2 * r];
                    hi = xmm[2 * r + 1];
                    if (d.sub == 16) {
                        xmm[2 * x] = lo;
                        xmm[2 * x + 1] = hi;
                    } else if (d.sub == 8) {
                        xmm[2 * x] = lo;
                        if (d.imm2 == 1) {
                            xmm[2 * x + 1] = 0;
                        }
                    } else {
                        xmm[2 * x] = (xmm[2 * x] & ~0xFFFF_FFFFL) | (lo & 0xFFFF_FFFFL);
                    }
                }
            }
            case SSE_STORE -> {
                if (d.mem) {
                    long la = lin(d);
                    if (d.imm == 1 && (la & 15) != 0) {
                        throw Fault.gp(0);
                    }
                    if (d.sub == 4) {
                        write(la, 4, xmm[2 * x]);
                    } else if (d.sub == 8) {
                        write(la, 8, xmm[2 * x]);
                    } else {
                        write(la, 8, xmm[2 * x]);
                        write(la + 8, 8, xmm[2 * x + 1]);
                    }
                } else {
                    int r = d.rm & 15;
                    if (d.sub == 16) {
                        xmm[2 * r] = xmm[2 * x];
                        xmm[2 * r + 1] = xmm[2 * x + 1];
                    } else if (d.sub == 8) {
                        xmm[2 * r] = xmm[2 * x];
                        if (d.imm2 == 1) {
                            xmm[2 * r + 1] = 0;
                        }
                    } else {
                        xmm[2 * r] = (xmm[2 * r] & ~0xFFFF_FFFFL) | (xmm[2 * x] & 0xFFFF_FFFFL);
                    }
                }
            }
            case SSE_TO_XMM -> {
                long v = readRm(d, d.size);
                xmm[2 * x] = d.size == 8 ? v : v & 0xFFFF_FFFFL;
                xmm[2 * x + 1] = 0;
            }
            case SSE_FROM_XMM -> writeRm(d, d.size, d.size == 8 ? xmm[2 * x] : xmm[2 * x] & 0xFFFF_FFFFL);
            default -> { // XORPS / XORPD / PXOR
                long lo, hi;
                if (d.mem) {
                    long la = lin(d);
                    if ((la & 15) != 0) {
                        throw Fault.gp(0);
                    }
                    lo = read(la, 8);
                    hi = read(la + 8, 8);
                } else {
                    lo = xmm[2 * (d.rm & 15)];
                    hi = xmm[2 * (d.rm & 15) + 1];
                }
                xmm[2 * x] ^= lo;
                xmm[2 * x + 1] ^= hi;
            }
        }
    }

    // ---- FXSAVE ------------------------------------------------------------------------------------

    // ---- x87 ---------------------------------------------------------------------------------------

    /** One x87 instruction (escape D8-DF); CR0.EM or CR0.TS make it #NM. */
    private void x87(Insn d) {
        if ((cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw Fault.of(Fault.NM);
        }
        int escape = d.sub >> 3;
        int r = d.sub & 7;
        if (d.mem) {
            x87Memory(escape, r, lin(d));
        } else {
            x87Register(escape, r, d.rm & 7);
        }
    }

    private static double f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    private static double f64(long bits) {
        return Double.longBitsToDouble(bits);
    }

    /** FCOM/FCOMP with a memory operand, or ST(0) = ST(0) op operand. */
    private void x87ArithMemory(int r, double v) {
        if (r == 2 || r == 3) {
            fpu.setCompare(X87.compare(fpu.st(0), v));
            if (r == 3) {
                fpu.pop();
            }
        } else {
            fpu.setSt(0, fpu.arith(r, fpu.st(0), v));
        }
    }

    private void x87Memory(int escape, int r, long la) {
        switch (escape) {
            case 0 -> x87ArithMemory(r, f32(read(la, 4)));
            case 2 -> x87ArithMemory(r, (int) read(la, 4));
            case 4 -> x87ArithMemory(r, f64(read(la, 8)));
            case 6 -> x87ArithMemory(r, (short) read(la, 2));
            case 1 -> {
                switch (r) {
                    case 0 -> fpu.push(f32(read(la, 4)));
                    case 2, 3 -> {
                        write(la, 4, Float.floatToRawIntBits((float) fpu.st(0)));
                        if (r == 3) {
                            fpu.pop();
                        }
                    }
                    case 4 -> x87LoadEnvironment(la);
                    case 5 -> fpu.control = (int) read(la, 2) & 0x1F7F | 0x40;
                    case 6 -> x87StoreEnvironment(la);
                    case 7 -> write(la, 2, fpu.control);
                    default -> throw Fault.of(Fault.UD);
                }
            }
            case 3 -> {
                switch (r) {
                    case 0 -> fpu.push((int) read(la, 4));
                    case 1, 2, 3 -> {
                        write(la, 4, fpu.toInteger(fpu.st(0), 32, r == 1));
                        if (r != 2) {
                            fpu.pop();
                        }
                    }
                    case 5 -> fpu.push(X87.fromExtended(read(la, 8), (int) read(la + 8, 2)));
                    case 7 -> {
                        long[] x = X87.toExtended(fpu.st(0));
                        write(la, 8, x[0]);
                        write(la + 8, 2, x[1]);
                        fpu.pop();
                    }
                    default -> throw Fault.of(Fault.UD);
                }
            }
            case 5 -> {
                switch (r) {
                    case 0 -> fpu.push(f64(read(la, 8)));
                    case 1 -> {
                        write(la, 8, fpu.toInteger(fpu.st(0), 64, true));
                        fpu.pop();
                    }
                    case 2, 3 -> {
                        write(la, 8, Double.doubleToRawLongBits(fpu.st(0)));
                        if (r == 3) {
                            fpu.pop();
                        }
                    }
                    case 4 -> { // FRSTOR: environment, then ST(0)-ST(7) as m80
                        x87LoadEnvironment(la);
                        for (int i = 0; i < 8; i++) {
                            fpu.setRaw(i, X87.fromExtended(read(la + 28 + 10L * i, 8), (int) read(la + 36 + 10L * i, 2)));
                        }
                    }
                    case 6 -> { // FNSAVE, then as FNINIT
                        x87StoreEnvironment(la);
                        for (int i = 0; i < 8; i++) {
                            long[] x = X87.toExtended(fpu.raw(i));
                            write(la + 28 + 10L * i, 8, x[0]);
                            write(la + 36 + 10L * i, 2, x[1]);
                        }
                        fpu.reset();
                    }
                    case 7 -> write(la, 2, fpu.statusWord());
                    default -> throw Fault.of(Fault.UD);
                }
            }
            default -> { // DF
                switch (r) {
                    case 0 -> fpu.push((short) read(la, 2));
                    case 1, 2, 3 -> {
                        write(la, 2, fpu.toInteger(fpu.st(0), 16, r == 1));
                        if (r != 2) {
                            fpu.pop();
                        }
                    }
                    case 5 -> fpu.push((double) read(la, 8));
                    case 7 -> {
                        write(la, 8, fpu.toInteger(fpu.st(0), 64, false));
                        fpu.pop();
                    }
                    default -> throw Fault.of(Fault.UD); // FBLD/FBSTP (packed BCD) are not modelled
                }
            }
        }
    }

    /** The 28-byte protected-mode environment: FCW, FSW, FTW, then instruction/operand pointers (zero). */
    private void x87StoreEnvironment(long la) {
        write(la, 4, fpu.control | 0xFFFF0000L);
        write(la + 4, 4, fpu.statusWord() | 0xFFFF0000L);
        write(la + 8, 4, fpu.tag | 0xFFFF0000L);
        for (int off = 12; off < 28; off += 4) {
            write(la + off, 4, 0);
        }
    }

    private void x87LoadEnvironment(long la) {
        int cw = (int) read(la, 2);
        int sw = (int) read(la + 4, 2);
        int tw = (int) read(la + 8, 2);
        fpu.control = cw;
        fpu.setStatusWord(sw);
        fpu.tag = tw;
    }

    /** DC/DE register forms: ModRM reg to the arithmetic of ST(i) = ST(i) op ST(0) (SUB/SUBR and DIV/DIVR swap). */
    private static final int[] REVERSED = {0, 1, 2, 3, 5, 4, 7, 6};

    private void x87CompareToFlags(int result) {
        int f = switch (result) {
            case 1 -> FLAG_CF;
            case 2 -> FLAG_ZF;
            case 3 -> FLAG_ZF | FLAG_PF | FLAG_CF;
            default -> 0;
        };
        setEager(f); // OF, SF and AF cleared
    }

    private void x87Register(int escape, int r, int i) {
        switch (escape) {
            case 0, 4, 6 -> {
                if (r == 2 || r == 3) { // FCOM/FCOMP ST(i); DE D9 is FCOMPP
                    if (escape == 6 && (r != 3 || i != 1)) {
                        throw Fault.of(Fault.UD);
                    }
                    fpu.setCompare(X87.compare(fpu.st(0), fpu.st(i)));
                    if (r == 3) {
                        fpu.pop();
                    }
                    if (escape == 6) {
                        fpu.pop();
                    }
                } else if (escape == 0) {
                    fpu.setSt(0, fpu.arith(r, fpu.st(0), fpu.st(i)));
                } else {
                    fpu.setSt(i, fpu.arith(REVERSED[r], fpu.st(i), fpu.st(0)));
                    if (escape == 6) {
                        fpu.pop();
                    }
                }
            }
            case 1 -> x87D9(r, i);
            case 2, 3 -> {
                if (r < 4) { // FCMOVcc / FCMOVNcc: B, E, BE, U
                    int cc = new int[] {2, 4, 6, 10}[r] | (escape == 3 ? 1 : 0);
                    double v = fpu.st(i);
                    if (cond(cc)) {
                        fpu.setSt(0, v);
                    }
                } else if (escape == 2 && r == 5 && i == 1) { // FUCOMPP
                    fpu.setCompare(X87.compare(fpu.st(0), fpu.st(1)));
                    fpu.pop();
                    fpu.pop();
                } else if (escape == 3 && r == 4) {
                    if (i == 2) { // FNCLEX
                        fpu.setStatusWord(fpu.statusWord() & 0x7F00);
                    } else if (i == 3) {
                        fpu.reset(); // FNINIT
                    } // FENI, FDISI, FSETPM: no-ops on this FPU
                } else if (escape == 3 && (r == 5 || r == 6)) { // FUCOMI, FCOMI
                    x87CompareToFlags(X87.compare(fpu.st(0), fpu.st(i)));
                } else {
                    throw Fault.of(Fault.UD);
                }
            }
            case 5 -> {
                switch (r) {
                    case 0 -> fpu.free(i);
                    case 2, 3 -> {
                        fpu.setSt(i, fpu.st(0));
                        if (r == 3) {
                            fpu.pop();
                        }
                    }
                    case 4, 5 -> {
                        fpu.setCompare(X87.compare(fpu.st(0), fpu.st(i)));
                        if (r == 5) {
                            fpu.pop();
                        }
                    }
                    default -> throw Fault.of(Fault.UD);
                }
            }
            default -> { // DF
                if (r == 4 && i == 0) {
                    setReg(2, RAX, fpu.statusWord()); // FNSTSW AX
                } else if (r == 5 || r == 6) { // FUCOMIP, FCOMIP
                    x87CompareToFlags(X87.compare(fpu.st(0), fpu.st(i)));
                    fpu.pop();
                } else {
                    throw Fault.of(Fault.UD);
                }
            }
        }
    }

    private static final double[] CONSTANTS = {1.0, Math.log(10) / Math.log(2), 1 / Math.log(2), Math.PI,
        Math.log10(2), Math.log(2), 0.0};

    private void x87D9(int r, int i) {
        switch (r) {
            case 0 -> fpu.push(fpu.st(i)); // FLD ST(i)
            case 1 -> { // FXCH
                double a = fpu.st(0);
                double b = fpu.st(i);
                fpu.setSt(0, b);
                fpu.setSt(i, a);
            }
            case 2 -> {
                if (i != 0) {
                    throw Fault.of(Fault.UD);
                } // FNOP
            }
            case 4 -> {
                switch (i) {
                    case 0 -> fpu.setSt(0, -fpu.st(0));
                    case 1 -> fpu.setSt(0, Math.abs(fpu.st(0)));
                    case 4 -> fpu.setCompare(X87.compare(fpu.st(0), 0.0)); // FTST
                    case 5 -> fpu.examine(0);
                    default -> throw Fault.of(Fault.UD);
                }
            }
            case 5 -> {
                if (i == 7) {
                    throw Fault.of(Fault.UD);
                }
                fpu.push(CONSTANTS[i]);
            }
            case 6 -> {
                switch (i) {
                    case 0 -> fpu.setSt(0, Math.pow(2, fpu.st(0)) - 1); // F2XM1
                    case 1 -> { // FYL2X
                        double v = fpu.st(1) * (Math.log(fpu.st(0)) / Math.log(2));
                        fpu.pop();
                        fpu.setSt(0, v);
                    }
                    case 2 -> { // FPTAN
                        fpu.setSt(0, Math.tan(fpu.st(0)));
                        fpu.push(1.0);
                    }
                    case 3 -> { // FPATAN
                        double v = Math.atan2(fpu.st(1), fpu.st(0));
                        fpu.pop();
                        fpu.setSt(0, v);
                    }
                    case 5 -> fpu.setSt(0, Math.IEEEremainder(fpu.st(0), fpu.st(1))); // FPREM1 (complete)
                    case 6 -> fpu.decrementTop();
                    case 7 -> fpu.incrementTop();
                    default -> throw Fault.of(Fault.UD); // FXTRACT
                }
                if (i == 5) {
                    fpu.setCompare(0); // C2 clear: the reduction is complete
                }
            }
            default -> {
                switch (i) {
                    case 0 -> { // FPREM: truncating remainder (C's fmod), quotient bits in C0, C3, C1
                        double a = fpu.st(0);
                        double b = fpu.st(1);
                        double rem = a % b;
                        long q = Double.isNaN(rem) ? 0 : (long) ((a - rem) / b);
                        fpu.setSt(0, rem);
                        fpu.setCompare(0);
                        fpu.setFlags(((q & 4) != 0 ? X87.C0 : 0) | ((q & 2) != 0 ? X87.C3 : 0)
                                | ((q & 1) != 0 ? X87.C1 : 0));
                    }
                    case 1 -> { // FYL2XP1
                        double v = fpu.st(1) * (Math.log1p(fpu.st(0)) / Math.log(2));
                        fpu.pop();
                        fpu.setSt(0, v);
                    }
                    case 2 -> {
                        double v = fpu.st(0);
                        if (v < 0) {
                            fpu.setFlags(X87.IE);
                        }
                        fpu.setSt(0, v < 0 ? X87.INDEFINITE : Math.sqrt(v));
                    }
                    case 3 -> { // FSINCOS
                        double v = fpu.st(0);
                        fpu.setSt(0, Math.sin(v));
                        fpu.push(Math.cos(v));
                    }
                    case 4 -> fpu.setSt(0, fpu.roundToIntegral(fpu.st(0)));
                    case 5 -> { // FSCALE
                        double s = fpu.st(1);
                        fpu.setSt(0, Math.scalb(fpu.st(0), (int) Math.max(-4096, Math.min(4096, s < 0 ? Math.ceil(s)
                                : Math.floor(s)))));
                    }
                    case 6 -> fpu.setSt(0, Math.sin(fpu.st(0)));
                    default -> fpu.setSt(0, Math.cos(fpu.st(0)));
                }
                if (i == 6 || i == 7 || i == 3) {
                    fpu.setCompare(0); // C2 clear: the operand was in range
                }
            }
        }
    }

    // ---- SSE/SSE2 arithmetic, logic, conversions, compares, integer lanes ------------------------

    private final long[] sseSrc = new long[2];

    /** Reads the source operand: an XMM register, or {@code bytes} of memory (16 must be aligned unless {@code unaligned}). */
    private void sseSource(Insn d, int bytes) {
        if (d.mem) {
            long la = lin(d);
            if (bytes == 16 && (la & 15) != 0) {
                throw Fault.gp(0);
            }
            sseSrc[0] = bytes == 4 ? read(la, 4) : read(la, 8);
            sseSrc[1] = bytes == 16 ? read(la + 8, 8) : 0;
        } else {
            int r = d.rm & 15;
            sseSrc[0] = xmm[2 * r];
            sseSrc[1] = xmm[2 * r + 1];
        }
    }

    private static long lo32(long v) {
        return v & 0xFFFF_FFFFL;
    }

    private void sseOp(Insn d) {
        checkSse();
        int opcode = d.sub & 0xFF;
        int prefix = (d.sub >> 8) & 3;
        int sub = (d.sub >> 12) & 7;
        int x = d.reg & 15;
        int lo = 2 * x;
        int hi = lo + 1;
        switch (opcode) {
            case 0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F -> {
                switch (prefix) {
                    case 3 -> { // SD
                        sseSource(d, 8);
                        xmm[lo] = SseMath.op64(opcode, xmm[lo], sseSrc[0]);
                    }
                    case 2 -> { // SS
                        sseSource(d, 4);
                        xmm[lo] = (xmm[lo] & ~0xFFFF_FFFFL) | lo32(SseMath.op32(opcode, (int) xmm[lo], (int) sseSrc[0]));
                    }
                    case 1 -> { // PD
                        sseSource(d, 16);
                        xmm[lo] = SseMath.op64(opcode, xmm[lo], sseSrc[0]);
                        xmm[hi] = SseMath.op64(opcode, xmm[hi], sseSrc[1]);
                    }
                    default -> { // PS
                        sseSource(d, 16);
                        xmm[lo] = packedFloat(opcode, xmm[lo], sseSrc[0]);
                        xmm[hi] = packedFloat(opcode, xmm[hi], sseSrc[1]);
                    }
                }
            }
            case 0x54, 0x55, 0x56 -> { // AND, ANDN, OR (PS/PD)
                if (prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                sseSource(d, 16);
                for (int k = 0; k < 2; k++) {
                    long a = xmm[lo + k];
                    long b = sseSrc[k];
                    xmm[lo + k] = opcode == 0x54 ? a & b : opcode == 0x55 ? ~a & b : a | b;
                }
            }
            case 0x2A -> { // CVTSI2SD / CVTSI2SS from r/m32 or r/m64
                if (prefix < 2) {
                    throw Fault.of(Fault.UD);
                }
                long v = d.mem ? read(lin(d), d.size) : getReg(d.size, d.rm);
                double value = d.size == 8 ? (double) v : (double) (int) v;
                if (prefix == 3) {
                    xmm[lo] = Double.doubleToRawLongBits(value);
                } else {
                    float f = d.size == 8 ? (float) v : (float) (int) v;
                    xmm[lo] = (xmm[lo] & ~0xFFFF_FFFFL) | lo32(Float.floatToRawIntBits(f));
                }
            }
            case 0x2C, 0x2D -> { // CVT(T)SD2SI / CVT(T)SS2SI
                if (prefix < 2) {
                    throw Fault.of(Fault.UD);
                }
                sseSource(d, prefix == 3 ? 8 : 4);
                double v = prefix == 3 ? Double.longBitsToDouble(sseSrc[0]) : Float.intBitsToFloat((int) sseSrc[0]);
                setReg(d.size, d.reg, SseMath.toInteger(v, d.size * 8, opcode == 0x2C, mxcsr));
            }
            case 0x2E, 0x2F -> { // (U)COMISS / (U)COMISD
                if (prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                sseSource(d, prefix == 1 ? 8 : 4);
                double a = prefix == 1 ? Double.longBitsToDouble(xmm[lo]) : Float.intBitsToFloat((int) xmm[lo]);
                double b = prefix == 1 ? Double.longBitsToDouble(sseSrc[0]) : Float.intBitsToFloat((int) sseSrc[0]);
                x87CompareToFlags(X87.compare(a, b));
            }
            case 0x5A -> { // CVTSD2SS, CVTSS2SD, CVTPS2PD, CVTPD2PS
                switch (prefix) {
                    case 3 -> {
                        sseSource(d, 8);
                        xmm[lo] = (xmm[lo] & ~0xFFFF_FFFFL) | lo32(SseMath.toFloat(Double.longBitsToDouble(sseSrc[0])));
                    }
                    case 2 -> {
                        sseSource(d, 4);
                        xmm[lo] = SseMath.toDouble(Float.intBitsToFloat((int) sseSrc[0]));
                    }
                    case 0 -> {
                        sseSource(d, 8);
                        long s0 = sseSrc[0];
                        xmm[lo] = SseMath.toDouble(Float.intBitsToFloat((int) s0));
                        xmm[hi] = SseMath.toDouble(Float.intBitsToFloat((int) (s0 >>> 32)));
                    }
                    default -> {
                        sseSource(d, 16);
                        xmm[lo] = lo32(SseMath.toFloat(Double.longBitsToDouble(sseSrc[0])))
                                | ((long) SseMath.toFloat(Double.longBitsToDouble(sseSrc[1])) << 32);
                        xmm[hi] = 0;
                    }
                }
            }
            case 0x5B -> { // CVTDQ2PS, CVTPS2DQ (66), CVTTPS2DQ (F3)
                sseSource(d, 16);
                for (int k = 0; k < 2; k++) {
                    long w = sseSrc[k];
                    long r = 0;
                    for (int half = 0; half < 2; half++) {
                        int lane = (int) (w >>> (32 * half));
                        long v = prefix == 0 ? lo32(Float.floatToRawIntBits((float) lane))
                                : SseMath.toInteger(Float.intBitsToFloat(lane), 32, prefix == 2, mxcsr);
                        r |= lo32(v) << (32 * half);
                    }
                    xmm[lo + k] = r;
                }
            }
            case 0xE6 -> { // CVTDQ2PD (F3), CVTTPD2DQ (66), CVTPD2DQ (F2)
                if (prefix == 2) {
                    sseSource(d, 8);
                    long s0 = sseSrc[0];
                    xmm[lo] = Double.doubleToRawLongBits((int) s0);
                    xmm[hi] = Double.doubleToRawLongBits((int) (s0 >>> 32));
                } else if (prefix != 0) {
                    sseSource(d, 16);
                    long a = SseMath.toInteger(Double.longBitsToDouble(sseSrc[0]), 32, prefix == 1, mxcsr);
                    long b = SseMath.toInteger(Double.longBitsToDouble(sseSrc[1]), 32, prefix == 1, mxcsr);
                    xmm[lo] = lo32(a) | (lo32(b) << 32);
                    xmm[hi] = 0;
                } else {
                    throw Fault.of(Fault.UD);
                }
            }
            case 0xC2 -> { // CMPPS/CMPPD/CMPSS/CMPSD
                int imm = (int) d.imm & 7;
                switch (prefix) {
                    case 3 -> {
                        sseSource(d, 8);
                        xmm[lo] = SseMath.predicate(imm, Double.longBitsToDouble(xmm[lo]),
                                Double.longBitsToDouble(sseSrc[0])) ? -1L : 0;
                    }
                    case 2 -> {
                        sseSource(d, 4);
                        boolean t = SseMath.predicate(imm, Float.intBitsToFloat((int) xmm[lo]),
                                Float.intBitsToFloat((int) sseSrc[0]));
                        xmm[lo] = (xmm[lo] & ~0xFFFF_FFFFL) | (t ? 0xFFFF_FFFFL : 0);
                    }
                    case 1 -> {
                        sseSource(d, 16);
                        for (int k = 0; k < 2; k++) {
                            xmm[lo + k] = SseMath.predicate(imm, Double.longBitsToDouble(xmm[lo + k]),
                                    Double.longBitsToDouble(sseSrc[k])) ? -1L : 0;
                        }
                    }
                    default -> {
                        sseSource(d, 16);
                        for (int k = 0; k < 2; k++) {
                            long r = 0;
                            for (int half = 0; half < 2; half++) {
                                boolean t = SseMath.predicate(imm, Float.intBitsToFloat((int) (xmm[lo + k] >>> (32 * half))),
                                        Float.intBitsToFloat((int) (sseSrc[k] >>> (32 * half))));
                                r |= (t ? 0xFFFF_FFFFL : 0) << (32 * half);
                            }
                            xmm[lo + k] = r;
                        }
                    }
                }
            }
            case 0x14, 0x15 -> { // UNPCKLPS/PD, UNPCKHPS/PD
                if (prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                sseSource(d, 16);
                long a = opcode == 0x14 ? xmm[lo] : xmm[hi];
                long b = opcode == 0x14 ? sseSrc[0] : sseSrc[1];
                if (prefix == 1) {
                    xmm[lo] = a;
                    xmm[hi] = b;
                } else {
                    xmm[lo] = lo32(a) | (lo32(b) << 32);
                    xmm[hi] = (a >>> 32) | ((b >>> 32) << 32);
                }
            }
            case 0xC6 -> { // SHUFPS / SHUFPD
                if (prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                sseSource(d, 16);
                int imm = (int) d.imm;
                if (prefix == 1) {
                    long a = (imm & 1) != 0 ? xmm[hi] : xmm[lo];
                    long b = (imm & 2) != 0 ? sseSrc[1] : sseSrc[0];
                    xmm[lo] = a;
                    xmm[hi] = b;
                } else {
                    long[] dst = {xmm[lo], xmm[hi]};
                    long r0 = lo32(lane32(dst, imm & 3)) | (lo32(lane32(dst, (imm >> 2) & 3)) << 32);
                    long r1 = lo32(lane32(sseSrc, (imm >> 4) & 3)) | (lo32(lane32(sseSrc, (imm >> 6) & 3)) << 32);
                    xmm[lo] = r0;
                    xmm[hi] = r1;
                }
            }
            case 0x50 -> { // MOVMSKPS / MOVMSKPD
                if (d.mem || prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                int r = d.rm & 15;
                long a = xmm[2 * r];
                long b = xmm[2 * r + 1];
                int mask = prefix == 1 ? (int) ((a >>> 63) | ((b >>> 63) << 1))
                        : (int) (((a >>> 31) & 1) | ((a >>> 62) & 2) | (((b >>> 31) & 1) << 2) | (((b >>> 63) & 1) << 3));
                setReg(4, d.reg, mask);
            }
            case 0x12, 0x13, 0x16, 0x17 -> { // MOVLPS/PD, MOVHLPS, MOVHPS/PD, MOVLHPS
                if (prefix > 1) {
                    throw Fault.of(Fault.UD);
                }
                boolean high = opcode >= 0x16;
                if (opcode == 0x13 || opcode == 0x17) { // store
                    if (!d.mem) {
                        throw Fault.of(Fault.UD);
                    }
                    write(lin(d), 8, high ? xmm[hi] : xmm[lo]);
                } else if (d.mem) {
                    long v = read(lin(d), 8);
                    xmm[high ? hi : lo] = v;
                } else if (prefix == 0) {
                    int r = d.rm & 15;
                    if (high) {
                        xmm[hi] = xmm[2 * r]; // MOVLHPS
                    } else {
                        xmm[lo] = xmm[2 * r + 1]; // MOVHLPS
                    }
                } else {
                    throw Fault.of(Fault.UD);
                }
            }
            default -> sseInteger(d, opcode, prefix, sub, lo, hi);
        }
    }

    private static long lane32(long[] v, int i) {
        return v[i >> 1] >>> (32 * (i & 1));
    }

    private static long packedFloat(int opcode, long a, long b) {
        long r0 = SseMath.op32(opcode, (int) a, (int) b) & 0xFFFF_FFFFL;
        long r1 = SseMath.op32(opcode, (int) (a >>> 32), (int) (b >>> 32)) & 0xFFFF_FFFFL;
        return r0 | (r1 << 32);
    }

    /** SSE2 integer forms (66 prefix; the MMX forms without it are not modelled). */
    private void sseInteger(Insn d, int opcode, int prefix, int sub, int lo, int hi) {
        if (prefix != 1) {
            throw Fault.of(Fault.UD);
        }
        switch (opcode) {
            case 0x72, 0x73 -> { // shifts by immediate: 72 /2 PSRLD /4 PSRAD /6 PSLLD; 73 /2 PSRLQ /3 PSRLDQ /6 PSLLQ /7 PSLLDQ
                if (d.mem) {
                    throw Fault.of(Fault.UD);
                }
                int r = d.rm & 15;
                int n = (int) d.imm & 0xFF;
                long a = xmm[2 * r];
                long b = xmm[2 * r + 1];
                long[] out = shiftImmediate(opcode, sub, n, a, b);
                xmm[2 * r] = out[0];
                xmm[2 * r + 1] = out[1];
                return;
            }
            case 0xC5 -> { // PEXTRW r32, xmm, imm8
                if (d.mem) {
                    throw Fault.of(Fault.UD);
                }
                int r = d.rm & 15;
                int w = (int) d.imm & 7;
                setReg(4, d.reg, (xmm[2 * r + (w >> 2)] >>> (16 * (w & 3))) & 0xFFFF);
                return;
            }
            case 0xC4 -> { // PINSRW xmm, r32/m16, imm8
                long v = (d.mem ? read(lin(d), 2) : getReg(4, d.rm)) & 0xFFFF;
                int w = (int) d.imm & 7;
                int k = lo + (w >> 2);
                int shift = 16 * (w & 3);
                xmm[k] = (xmm[k] & ~(0xFFFFL << shift)) | (v << shift);
                return;
            }
            case 0xD7 -> { // PMOVMSKB
                if (d.mem) {
                    throw Fault.of(Fault.UD);
                }
                int r = d.rm & 15;
                int mask = 0;
                for (int i = 0; i < 16; i++) {
                    long w = xmm[2 * r + (i >> 3)];
                    mask |= (int) ((w >>> (8 * (i & 7) + 7)) & 1) << i;
                }
                setReg(4, d.reg, mask);
                return;
            }
            default -> { }
        }
        sseSource(d, 16);
        long a0 = xmm[lo];
        long a1 = xmm[hi];
        long b0 = sseSrc[0];
        long b1 = sseSrc[1];
        long r0;
        long r1;
        switch (opcode) {
            case 0xDB -> {
                r0 = a0 & b0;
                r1 = a1 & b1;
            }
            case 0xDF -> {
                r0 = ~a0 & b0;
                r1 = ~a1 & b1;
            }
            case 0xEB -> {
                r0 = a0 | b0;
                r1 = a1 | b1;
            }
            case 0xD4, 0xFB, 0xFE, 0xFA, 0xFD, 0xF9, 0xFC, 0xF8 -> {
                int bits = switch (opcode) {
                    case 0xD4, 0xFB -> 64;
                    case 0xFE, 0xFA -> 32;
                    case 0xFD, 0xF9 -> 16;
                    default -> 8;
                };
                boolean subtract = opcode == 0xFB || opcode == 0xFA || opcode == 0xF9 || opcode == 0xF8;
                r0 = SseMath.addLanes(a0, b0, bits, subtract);
                r1 = SseMath.addLanes(a1, b1, bits, subtract);
            }
            case 0x74, 0x75, 0x76 -> {
                int bits = 8 << (opcode - 0x74);
                r0 = SseMath.equalLanes(a0, b0, bits);
                r1 = SseMath.equalLanes(a1, b1, bits);
            }
            case 0x6C -> { // PUNPCKLQDQ
                r0 = a0;
                r1 = b0;
            }
            case 0x6D -> { // PUNPCKHQDQ
                r0 = a1;
                r1 = b1;
            }
            case 0x62 -> { // PUNPCKLDQ
                r0 = lo32(a0) | (lo32(b0) << 32);
                r1 = (a0 >>> 32) | ((b0 >>> 32) << 32);
            }
            case 0x6A -> { // PUNPCKHDQ
                r0 = lo32(a1) | (lo32(b1) << 32);
                r1 = (a1 >>> 32) | ((b1 >>> 32) << 32);
            }
            case 0x70 -> { // PSHUFD
                int imm = (int) d.imm;
                long[] s = {b0, b1};
                r0 = lo32(lane32(s, imm & 3)) | (lo32(lane32(s, (imm >> 2) & 3)) << 32);
                r1 = lo32(lane32(s, (imm >> 4) & 3)) | (lo32(lane32(s, (imm >> 6) & 3)) << 32);
            }
            default -> throw Fault.of(Fault.UD);
        }
        xmm[lo] = r0;
        xmm[hi] = r1;
    }

    private static long[] shiftImmediate(int opcode, int sub, int n, long a, long b) {
        if (opcode == 0x73 && (sub == 3 || sub == 7)) { // byte shifts of the whole register
            java.math.BigInteger v = new java.math.BigInteger(1, new byte[] {
                (byte) (b >>> 56), (byte) (b >>> 48), (byte) (b >>> 40), (byte) (b >>> 32), (byte) (b >>> 24),
                (byte) (b >>> 16), (byte) (b >>> 8), (byte) b, (byte) (a >>> 56), (byte) (a >>> 48), (byte) (a >>> 40),
                (byte) (a >>> 32), (byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
            int bytes = Math.min(n, 16);
            v = sub == 3 ? v.shiftRight(8 * bytes) : v.shiftLeft(8 * bytes);
            return new long[] {v.longValue(), v.shiftRight(64).longValue()};
        }
        if (opcode == 0x73) {
            if (sub == 2) {
                return new long[] {n > 63 ? 0 : a >>> n, n > 63 ? 0 : b >>> n};
            }
            if (sub == 6) {
                return new long[] {n > 63 ? 0 : a << n, n > 63 ? 0 : b << n};
            }
            throw Fault.of(Fault.UD);
        }
        long[] out = new long[2];
        long[] in = {a, b};
        for (int k = 0; k < 2; k++) {
            long r = 0;
            for (int half = 0; half < 2; half++) {
                int lane = (int) (in[k] >>> (32 * half));
                int v = switch (sub) {
                    case 2 -> n > 31 ? 0 : lane >>> n;
                    case 4 -> lane >> Math.min(n, 31);
                    case 6 -> n > 31 ? 0 : lane << n;
                    default -> throw Fault.of(Fault.UD);
                };
                r |= lo32(v) << (32 * half);
            }
            out[k] = r;
        }
        return out;
    }

    private void fxsave(long la) {
        if ((la & 15) != 0) {
            throw Fault.gp(0);
        }
        write(la, 2, fpu.control);
        write(la + 2, 2, fpu.statusWord());
        write(la + 4, 1, fpu.abridgedTag());
        for (int i = 0; i < 8; i++) {
            long[] x = X87.toExtended(fpu.raw(i));
            write(la + 32 + 16L * i, 8, x[0]);
            write(la + 40 + 16L * i, 2, x[1]);
        }
        write(la + 24, 4, mxcsr);
        write(la + 28, 4, 0xFFFF);
        for (int i = 0; i < 16; i++) {
            write(la + 160 + 16L * i, 8, xmm[2 * i]);
            write(la + 168 + 16L * i, 8, xmm[2 * i + 1]);
        }
    }

    private void fxrstor(long la) {
        if ((la & 15) != 0) {
            throw Fault.gp(0);
        }
        int cw = (int) read(la, 2);
        int sw = (int) read(la + 2, 2);
        int tag = (int) read(la + 4, 1);
        int mx = (int) read(la + 24, 4);
        long[] x = new long[32];
        for (int i = 0; i < 16; i++) {
            x[2 * i] = read(la + 160 + 16L * i, 8);
            x[2 * i + 1] = read(la + 168 + 16L * i, 8);
        }
        double[] st = new double[8];
        for (int i = 0; i < 8; i++) {
            st[i] = X87.fromExtended(read(la + 32 + 16L * i, 8), (int) read(la + 40 + 16L * i, 2));
        }
        fpu.control = cw;
        fpu.setStatusWord(sw);
        for (int i = 0; i < 8; i++) {
            fpu.setRaw(i, st[i]);
        }
        fpu.setAbridgedTag(tag);
        mxcsr = mx;
        System.arraycopy(x, 0, xmm, 0, 32);
    }

    // ---- exceptions and interrupts -----------------------------------------------------------------

    private static boolean contributory(int v) {
        return v == 0 || (v >= 10 && v <= 13);
    }

    /** Delivers an exception raised by the instruction at {@code faultRip}, applying double/triple-fault rules. */
    private void deliverException(int vector, int error, boolean hasError, long faultRip) {
        exceptionsDelivered++;
        int first = delivering;
        if (first == Fault.DF) {
            tripleFault();
            return;
        }
        if (first >= 0 && ((contributory(first) && contributory(vector))
                || (first == Fault.PF && (contributory(vector) || vector == Fault.PF)))) {
            vector = Fault.DF;
            error = 0;
            hasError = true;
        }
        delivering = vector;
        try {
            deliverInterrupt(vector, faultRip, hasError, false, error);
            delivering = -1;
        } catch (Fault f) {
            deliverException(f.vector, f.errorCode, f.hasErrorCode, faultRip);
        } finally {
            delivering = -1;
        }
    }

    private void deliverSoftware(int vector, long next) {
        try {
            deliverInterrupt(vector, next, false, true, 0);
        } catch (Fault f) {
            deliverException(f.vector, f.errorCode, f.hasErrorCode, rip);
        }
    }

    /**
     * An external interrupt through the IDT; a fault while delivering it (a bad gate, a stack
     * that is not mapped) is delivered as that exception, as for INT n, never thrown out of the loop.
     */
    private void deliverExternal(int vector) {
        try {
            deliverInterrupt(vector, rip, false, false, 0);
        } catch (Fault f) {
            deliverException(f.vector, f.errorCode, f.hasErrorCode, rip);
        }
    }

    private void tripleFault() {
        delivering = -1;
        exit.set(X86ExitKind.TRIPLE_FAULT.reason(amd), 0, 0, 0, rip, 0, time);
        vmExit();
    }

    /** Takes an interrupt or exception through the IDT (real-mode IVT, 32-bit or 64-bit gates). */
    void deliverInterrupt(int vector, long returnRip, boolean hasError, boolean software, int error) {
        long oldFlags = flags();
        if ((cr0 & CR0_PE) == 0) {
            long ivt = idtBase + vector * 4L;
            long v = readSystem(ivt, 4);
            push(2, oldFlags);
            push(2, segSel[CS]);
            push(2, returnRip);
            loadSegment(CS, (int) (v >>> 16) & 0xFFFF);
            rip = v & 0xFFFF;
            flagsRest &= ~(FLAG_IF | FLAG_TF | FLAG_AC);
            return;
        }
        int gateSize = longMode ? 16 : 8;
        int ext = software ? 0 : 1;
        if (vector * gateSize + gateSize - 1 > idtLimit) {
            throw Fault.gp(vector * 8 + 2 + ext);
        }
        long lo = readSystem(idtBase + (long) vector * gateSize, 8);
        long hi = longMode ? readSystem(idtBase + (long) vector * gateSize + 8, 8) : 0;
        int type = (int) (lo >>> 40) & 0xF;
        int dpl = (int) (lo >>> 45) & 3;
        if (((lo >>> 47) & 1) == 0) {
            throw new Fault(Fault.NP, vector * 8 + 2 + ext, true);
        }
        if (software && dpl < cpl) {
            throw Fault.gp(vector * 8 + 2);
        }
        if (type == 5 && !longMode) {
            // task gate: the interrupt is a task switch (the error code goes on the new task's stack)
            requestTaskSwitch((int) (lo >>> 16) & 0xFFFF, TS_GATE, returnRip, hasError, error, 0);
            return;
        }
        boolean trapGate = (type & 1) != 0;
        int sel = (int) (lo >>> 16) & 0xFFFF;
        long offset = (lo & 0xFFFF) | ((lo >>> 32) & 0xFFFF0000L) | ((hi & 0xFFFF_FFFFL) << 32);
        long[] csDesc = descriptor(sel);
        int newCpl = (int) (csDesc[0] >>> 45) & 3;
        int oldCs = segSel[CS];
        int oldSs = segSel[SS];
        long oldRsp = regs[RSP];
        if (longMode) {
            int ist = (int) (lo >>> 32) & 7;
            long rsp;
            if (ist != 0) {
                rsp = readSystem(trBase + 0x24 + (ist - 1) * 8L, 8);
            } else if (newCpl < cpl) {
                rsp = readSystem(trBase + 4 + newCpl * 8L, 8);
            } else {
                rsp = oldRsp;
            }
            rsp &= ~15L;
            long[] frame = hasError ? new long[] {error, returnRip, oldCs, oldFlags, oldRsp, oldSs}
                    : new long[] {returnRip, oldCs, oldFlags, oldRsp, oldSs};
            long sp = rsp - frame.length * 8L;
            for (int k = 0; k < frame.length; k++) {
                writeSystem(sp + k * 8L, 8, frame[k]);
            }
            if (newCpl < cpl) {
                segSel[SS] = newCpl;
                segBase[SS] = 0;
                segAttr[SS] = 0;
            }
            regs[RSP] = sp;
            segSel[CS] = (sel & ~3) | newCpl;
            segBase[CS] = 0;
            segAttr[CS] = (int) (csDesc[0] >>> 40) & 0xF0FF;
            cpl = newCpl;
            rip = offset;
        } else {
            long esp;
            int ss;
            if (newCpl < cpl) {
                esp = readSystem(trBase + 4 + newCpl * 8L, 4);
                ss = (int) readSystem(trBase + 8 + newCpl * 8L, 2);
            } else {
                esp = oldRsp;
                ss = oldSs;
            }
            int size = (type & 8) != 0 ? 4 : 2;
            if (newCpl < cpl) {
                loadSegmentRaw(SS, ss);
                regs[RSP] = esp & 0xFFFF_FFFFL;
                push(size, oldSs);
                push(size, oldRsp);
            }
            push(size, oldFlags);
            push(size, oldCs);
            push(size, returnRip);
            if (hasError) {
                push(size, error);
            }
            segSel[CS] = (sel & ~3) | newCpl;
            segBase[CS] = descBase(csDesc) & 0xFFFF_FFFFL;
            segAttr[CS] = (int) (csDesc[0] >>> 40) & 0xF0FF;
            cpl = newCpl;
            rip = offset & 0xFFFF_FFFFL;
        }
        flagsRest &= ~(FLAG_TF | FLAG_NT | FLAG_RF | 0x20000);
        if (!trapGate) {
            flagsRest &= ~FLAG_IF;
        }
        updateMode();
    }

    private void loadSegmentRaw(int seg, int sel) {
        int save = cpl;
        loadSegment(seg, sel);
        cpl = save;
    }

    private void iret(Insn d) {
        int size = d.size;
        if (nmiBlocked) {
            nmiBlocked = false; // IRET ends NMI blocking (SDM 6.7.1)
            nmiWindowOpen = apic.nmiPending();
        }
        if ((cr0 & CR0_PE) != 0 && !longMode && (flagsRest & FLAG_NT) != 0) {
            // nested task: return to the task in the back link of the current TSS
            requestTaskSwitch((int) readSystem(trBase, 2), TS_IRET, rip + d.len, false, 0, d.len);
            return;
        }
        if ((cr0 & CR0_PE) == 0) {
            long ip = pop(2);
            int cs = (int) pop(2);
            long f = pop(2);
            loadSegment(CS, cs);
            setFlags((flags() & ~0xFFFFL) | f);
            rip = ip;
            return;
        }
        if (longMode) {
            long ip = peek(size, 0);
            int cs = (int) peek(size, size) & 0xFFFF;
            long f = peek(size, 2 * size);
            long sp = peek(size, 3 * size);
            int ss = (int) peek(size, 4 * size) & 0xFFFF;
            int newCpl = cs & 3;
            long[] desc = descriptor(cs);
            if (newCpl < cpl) {
                throw Fault.gp(cs & ~3);
            }
            segSel[CS] = cs;
            segBase[CS] = 0;
            segAttr[CS] = (int) (desc[0] >>> 40) & 0xF0FF;
            int oldCpl = cpl;
            cpl = newCpl;
            long keep = oldCpl == 0 ? 0 : 0x3000 | (oldCpl > ((flagsRest >> 12) & 3) ? FLAG_IF : 0);
            long cur = flags();
            setFlags(((f & 0x3F7FD7) & ~keep) | (cur & keep));
            regs[RSP] = sp;
            if ((ss & ~3) == 0) {
                segSel[SS] = ss;
                segBase[SS] = 0;
                segAttr[SS] = 0;
            } else {
                loadSegmentRaw(SS, ss);
            }
            updateMode();
            rip = codeMode == 64 ? ip : ip & 0xFFFF_FFFFL;
            return;
        }
        long ip = pop(size);
        int cs = (int) pop(size) & 0xFFFF;
        long f = pop(size);
        int newCpl = cs & 3;
        int oldCpl = cpl;
        long newSp = 0;
        int newSs = 0;
        if (newCpl > cpl) {
            newSp = pop(size);
            newSs = (int) pop(size) & 0xFFFF;
        }
        loadSegment(CS, cs);
        cpl = newCpl;
        long keep = oldCpl == 0 ? 0 : 0x3000 | (oldCpl > ((flagsRest >> 12) & 3) ? FLAG_IF : 0);
        long cur = flags();
        long mask = size == 2 ? 0xFFFF : 0x3F7FD7;
        setFlags(((cur & ~mask) | (f & mask)) & ~keep | (cur & keep));
        if (newCpl > oldCpl) {
            loadSegmentRaw(SS, newSs);
            regs[RSP] = newSp;
        }
        updateMode();
        rip = ip & 0xFFFF_FFFFL;
    }

    // ---- control registers and MSRs (used by exit handlers) ---------------------------------------------

    public long readCr(int n) {
        return switch (n) {
            case 0 -> cr0;
            case 2 -> cr2;
            case 3 -> cr3;
            case 4 -> cr4;
            case 8 -> cr8;
            default -> throw Fault.of(Fault.UD);
        };
    }

    /**
     * Writes a control register as the CPU would after the intercept: checks reserved bits
     * (raising #GP), switches paging modes and flushes the TLB as the architecture requires.
     * Returns false (after asking for #GP) if the value is invalid.
     */
    public boolean writeCr(int n, long v) {
        switch (n) {
            case 0 -> {
                if ((v >>> 32) != 0 || ((v & CR0_PG) != 0 && (v & CR0_PE) == 0)) {
                    injectException(Fault.GP, 0);
                    return false;
                }
                long old = cr0;
                if ((v & CR0_PG) != 0 && (old & CR0_PG) == 0 && (efer & EFER_LME) != 0) {
                    if ((cr4 & CR4_PAE) == 0) {
                        injectException(Fault.GP, 0);
                        return false;
                    }
                    efer |= EFER_LMA;
                } else if ((v & CR0_PG) == 0 && (old & CR0_PG) != 0) {
                    efer &= ~EFER_LMA;
                }
                cr0 = v | CR0_ET;
                if (((old ^ v) & (CR0_PG | CR0_WP | CR0_PE)) != 0) {
                    tlb.flushAll();
                    tlb.record("CR0 write", "all", 0);
                }
                if ((old & CR0_PG) != 0 && (v & CR0_PG) == 0) {
                    // kvm_post_set_cr0: clearing CR0.PG flushes the TLB from the guest's perspective
                    tlb.request(X86Tlb.REQ_FLUSH_GUEST, "KVM_REQ_TLB_FLUSH_GUEST: CR0.PG cleared");
                }
                updateMode();
            }
            case 3 -> {
                if ((cr4 & CR4_PCIDE) == 0) {
                    // without PCIDs every CR3 load drops the non-global translations
                    cr3 = v;
                    tlb.flushNonGlobal();
                    tlb.record("CR3 write", "non-global", v);
                } else {
                    // SDM 4.10.4.1: bit 63 (NOFLUSH) keeps the new PCID's entries; it is not stored in CR3
                    boolean noFlush = v < 0;
                    cr3 = v & ~(1L << 63);
                    int pcid = (int) cr3 & 0xFFF;
                    tlb.switchPcid(pcid);
                    if (noFlush) {
                        tlb.record("CR3 write NOFLUSH", "none (pcid " + pcid + ")", cr3);
                    } else {
                        tlb.flushPcid(pcid);
                        tlb.record("CR3 write", "non-global of pcid " + pcid, cr3);
                    }
                }
                fetchVpn = -1;
            }
            case 4 -> {
                if ((v & ~CR4_SUPPORTED) != 0 || (v & cpuid.guestCr4Reserved()) != 0 || (longMode && (v & CR4_PAE) == 0)
                        || (longMode && ((v ^ cr4) & CR4_LA57) != 0)) { // LA57 changes only outside long mode
                    injectException(Fault.GP, 0);
                    return false;
                }
                long old = cr4;
                if ((v & CR4_PCIDE) != 0 && (old & CR4_PCIDE) == 0 && (!longMode || (cr3 & 0xFFF) != 0)) {
                    injectException(Fault.GP, 0); // PCIDE 0->1 needs long mode and CR3[11:0] = 0
                    return false;
                }
                cr4 = v;
                long changed = old ^ v;
                if ((changed & (CR4_PGE | CR4_PAE | CR4_PSE | CR4_SMEP | CR4_SMAP | CR4_LA57)) != 0
                        || ((old & CR4_PCIDE) != 0 && (v & CR4_PCIDE) == 0)) {
                    tlb.flushAll();
                    tlb.record((changed & CR4_PGE) != 0 ? "CR4.PGE toggle"
                            : (changed & CR4_PCIDE) != 0 ? "CR4.PCIDE cleared" : "CR4 write", "all", 0);
                }
                if ((v & CR4_PCIDE) == 0) {
                    tlb.switchPcid(0);
                }
                requestCr4Flushes(old, v);
                fetchVpn = -1;
            }
            case 8 -> cr8 = v & 15;
            default -> {
                injectException(Fault.UD, 0);
                return false;
            }
        }
        return true;
    }

    /**
     * The hypervisor side of a guest CR4 write: KVM's common {@code kvm_post_set_cr4} requests a
     * guest flush when PGE toggles or PCIDE is cleared, else a current flush when PAE toggles or
     * SMEP is set; on AMD before Linux 6.14 {@code svm_set_cr4} additionally flushed the current
     * ASID itself on a PGE toggle (the redundant request 6.14 removed).
     */
    private void requestCr4Flushes(long old, long v) {
        long changed = old ^ v;
        if (tlb.pre614PgeFlush() && (changed & CR4_PGE) != 0) {
            tlb.request(X86Tlb.REQ_FLUSH_CURRENT, "svm_set_cr4: svm_flush_tlb_current (CR4.PGE toggle, pre-6.14)");
        }
        if ((changed & CR4_PGE) != 0) {
            tlb.request(X86Tlb.REQ_FLUSH_GUEST, "KVM_REQ_TLB_FLUSH_GUEST: CR4.PGE toggle");
        } else if ((old & CR4_PCIDE) != 0 && (v & CR4_PCIDE) == 0) {
            tlb.request(X86Tlb.REQ_FLUSH_GUEST, "KVM_REQ_TLB_FLUSH_GUEST: CR4.PCIDE cleared");
        } else if ((changed & CR4_PAE) != 0 || ((v & CR4_SMEP) != 0 && (old & CR4_SMEP) == 0)) {
            tlb.request(X86Tlb.REQ_FLUSH_CURRENT, "KVM_REQ_TLB_FLUSH_CURRENT: CR4.PAE toggle or CR4.SMEP set");
        }
    }

    /** INVLPG after its intercept: the current PCID's and global translations of the page. */
    public void invalidatePage(long la) {
        tlb.flushPage(la);
        tlb.record("INVLPG", "page", la);
        fetchVpn = -1;
    }

    /**
     * INVPCID after its intercept, per the SDM: type 0 one address in one PCID, 1 one PCID, 2 all
     * including globals, 3 all but globals. Returns false (after #GP) for an invalid descriptor.
     */
    public boolean invpcid(int type, long descriptorLow, long address) {
        int pcid = (int) descriptorLow & 0xFFF;
        if ((descriptorLow >>> 12) != 0 || type > 3 || (type == 0 && !canonical(address))
                || (type <= 1 && pcid != 0 && (cr4 & CR4_PCIDE) == 0)) {
            injectException(Fault.GP, 0);
            return false;
        }
        switch (type) {
            case 0 -> {
                tlb.flushAddress(address, pcid);
                tlb.record("INVPCID individual-address", "pcid " + pcid, address);
            }
            case 1 -> {
                tlb.flushPcid(pcid);
                tlb.record("INVPCID single-context", "pcid " + pcid, 0);
            }
            case 2 -> {
                tlb.flushAll();
                tlb.record("INVPCID all-context", "all", 0);
            }
            default -> {
                tlb.flushNonGlobal();
                tlb.record("INVPCID all-non-global", "non-global", 0);
            }
        }
        fetchVpn = -1;
        return true;
    }

    /** The emulated CPUID for the exit handler: fills RAX, RBX, RCX, RDX. */
    public void emulateCpuid() {
        int leaf = (int) regs[RAX];
        int sub = (int) regs[RCX];
        cpuid.cpuid(leaf, sub, cr4, apic.id(), cpuidOut);
        regs[RAX] = cpuidOut[0] & 0xFFFF_FFFFL;
        regs[RBX] = cpuidOut[1] & 0xFFFF_FFFFL;
        regs[RCX] = cpuidOut[2] & 0xFFFF_FFFFL;
        regs[RDX] = cpuidOut[3] & 0xFFFF_FFFFL;
    }

    public static final int MSR_APIC_BASE = 0x1B, MSR_TSC = 0x10, MSR_EFER = 0xC0000080, MSR_STAR = 0xC0000081,
            MSR_LSTAR = 0xC0000082, MSR_CSTAR = 0xC0000083, MSR_SFMASK = 0xC0000084, MSR_FS_BASE = 0xC0000100,
            MSR_GS_BASE = 0xC0000101, MSR_KERNEL_GS_BASE = 0xC0000102, MSR_TSC_AUX = 0xC0000103, MSR_PAT = 0x277,
            MSR_TSC_DEADLINE = 0x6E0;

    /** Reads an MSR for the RDMSR handler; returns null if the MSR does not exist (#GP). */
    public Long readMsr(int msr) {
        if (msr >= 0x800 && msr <= 0x8FF && apic.x2apic()) {
            return (long) apic.read((msr - 0x800) << 4, time) & 0xFFFF_FFFFL;
        }
        return switch (msr) {
            case MSR_APIC_BASE -> apic.apicBaseMsr();
            case MSR_TSC -> time;
            case MSR_EFER -> efer;
            case MSR_STAR -> star;
            case MSR_LSTAR -> lstar;
            case MSR_CSTAR -> cstar;
            case MSR_SFMASK -> sfmask;
            case MSR_FS_BASE -> segBase[FS];
            case MSR_GS_BASE -> segBase[GS];
            case MSR_KERNEL_GS_BASE -> kernelGsBase;
            case MSR_TSC_AUX -> tscAux;
            case MSR_PAT -> pat;
            case MSR_TSC_DEADLINE -> apic.tscDeadline();
            case 0x174 -> sysenterCs;
            case 0x175 -> sysenterEsp;
            case 0x176 -> sysenterEip;
            case 0x8B -> 0L; // microcode revision
            case 0xFE -> 0L; // MTRRcap
            case 0x2FF -> 0x806L; // MTRRdefType: enabled, write-back
            case 0x3A -> 5L; // feature control: locked, VMX off
            case 0x1A0 -> 1L; // misc enable: fast strings
            case 0x17 -> 0L; // platform id
            case 0x48 -> 0L; // spec ctrl
            default -> otherMsrs.get(msr);
        };
    }

    /** Writes an MSR for the WRMSR handler; returns false for a nonexistent MSR or invalid value (#GP). */
    public boolean writeMsr(int msr, long v) {
        if (msr >= 0x800 && msr <= 0x8FF && apic.x2apic()) {
            if (msr == 0x830) {
                apic.writeIcr64(v);
            } else {
                apic.write((msr - 0x800) << 4, (int) v, time);
            }
            return true;
        }
        switch (msr) {
            case MSR_APIC_BASE -> apic.setApicBaseMsr(v);
            case MSR_TSC -> { }
            case MSR_EFER -> {
                if ((v & ~0xD01L) != 0) {
                    return false;
                }
                long lma = efer & EFER_LMA;
                efer = (v & ~EFER_LMA) | lma;
                if (((efer ^ v) & EFER_NXE) != 0 || true) {
                    tlb.flushAll();
                }
                updateMode();
            }
            case MSR_STAR -> star = v;
            case MSR_LSTAR -> lstar = v;
            case MSR_CSTAR -> cstar = v;
            case MSR_SFMASK -> sfmask = v & 0xFFFF_FFFFL;
            case MSR_FS_BASE -> segBase[FS] = v;
            case MSR_GS_BASE -> segBase[GS] = v;
            case MSR_KERNEL_GS_BASE -> kernelGsBase = v;
            case MSR_TSC_AUX -> tscAux = v & 0xFFFF_FFFFL;
            case MSR_PAT -> pat = v;
            case MSR_TSC_DEADLINE -> apic.setTscDeadline(v, time);
            case 0x174 -> sysenterCs = v;
            case 0x175 -> sysenterEsp = v;
            case 0x176 -> sysenterEip = v;
            case 0x8B, 0x2FF, 0x1A0, 0x48, 0x49 -> { }
            default -> {
                if ((msr >= 0x200 && msr < 0x280) || otherMsrs.containsKey(msr)) {
                    otherMsrs.put(msr, v); // MTRRs and anything seen before
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /** XSETBV after its intercept; false for an invalid value (#GP). */
    public boolean writeXcr(int index, long v) {
        if (index != 0 || (v & 1) == 0 || (v & ~3L) != 0) {
            return false;
        }
        xcr0 = v;
        return true;
    }

    /** HLT after its intercept: sleep until an interrupt (the handler advanced RIP). */
    public void halt() {
        if (!interruptReady()) {
            setState(VcpuState.HALTED);
        }
    }

    /** INIT/SIPI: start this (stopped) application processor in real mode at vector << 12. */
    public void startupIpi(int vector) {
        if (state() != VcpuState.STOPPED) {
            return;
        }
        cr0 = CR0_ET | 0x60000000L;
        cr4 = 0;
        efer = 0;
        for (int s = 0; s < 6; s++) {
            segSel[s] = 0;
            segBase[s] = 0;
            segLimit[s] = 0xFFFF;
            segAttr[s] = 0x93;
        }
        segSel[CS] = vector << 8;
        segBase[CS] = (long) vector << 12;
        segAttr[CS] = 0x9B;
        rip = 0;
        cpl = 0;
        setFlags(2);
        updateMode();
        tlb.flushAll();
        tlb.switchPcid(0);
        setState(VcpuState.RUNNABLE);
    }

    // ---- debugger view ---------------------------------------------------------------------------

    /** Key MSRs exposed as registers after efer (gdb numbers 65-75), in this order. */
    static final String[] MSR_REGISTERS = {"apic_base", "pat", "star", "lstar", "cstar", "sfmask", "kernel_gs_base",
        "tsc_aux", "sysenter_cs", "sysenter_esp", "sysenter_eip"};
    static final int FIRST_MSR_REGISTER = 65;
    static final int LAST_REGISTER = FIRST_MSR_REGISTER + MSR_REGISTERS.length - 1;

    private static final List<RegisterDescriptor> REGISTERS = buildRegisters();

    /** gdb numbers: rax..r15 0-15 (gdb's order), rip 16, eflags 17, cs ss ds es fs gs 18-23, st0-7 24-31, fctrl.. 32-39, xmm 40-55, mxcsr 56, fs_base 57, gs_base 58, cr0 cr2 cr3 cr4 cr8 efer 59-64. */
    private static List<RegisterDescriptor> buildRegisters() {
        List<RegisterDescriptor> r = new ArrayList<>();
        String core = "org.gnu.gdb.i386.core";
        String[] gprs = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15"};
        for (int i = 0; i < gprs.length; i++) {
            r.add(new RegisterDescriptor(gprs[i], i, 64, i == 6 || i == 7 ? "data_ptr" : "int64", "general", core));
        }
        r.add(new RegisterDescriptor("rip", 16, 64, "code_ptr", "general", core));
        r.add(new RegisterDescriptor("eflags", 17, 32, "i386_eflags", "general", core));
        String[] segs = {"cs", "ss", "ds", "es", "fs", "gs"};
        for (int i = 0; i < segs.length; i++) {
            r.add(new RegisterDescriptor(segs[i], 18 + i, 32, "int32", "general", core));
        }
        for (int i = 0; i < 8; i++) {
            r.add(new RegisterDescriptor("st" + i, 24 + i, 80, "i387_ext", "float", core));
        }
        String[] fpc = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
        for (int i = 0; i < fpc.length; i++) {
            r.add(new RegisterDescriptor(fpc[i], 32 + i, 32, "int", "float", core));
        }
        String sse = "org.gnu.gdb.i386.sse";
        for (int i = 0; i < 16; i++) {
            r.add(new RegisterDescriptor("xmm" + i, 40 + i, 128, "vec128", "vector", sse));
        }
        r.add(new RegisterDescriptor("mxcsr", 56, 32, "i386_mxcsr", "vector", sse));
        String segments = "org.gnu.gdb.i386.segments";
        r.add(new RegisterDescriptor("fs_base", 57, 64, "int", "system", segments));
        r.add(new RegisterDescriptor("gs_base", 58, 64, "int", "system", segments));
        String sys = "org.hvdbg.x86.system";
        r.add(new RegisterDescriptor("cr0", 59, 64, "i386_cr0", "system", sys));
        r.add(new RegisterDescriptor("cr2", 60, 64, "int64", "system", sys));
        r.add(new RegisterDescriptor("cr3", 61, 64, "i386_cr3", "system", sys));
        r.add(new RegisterDescriptor("cr4", 62, 64, "i386_cr4", "system", sys));
        r.add(new RegisterDescriptor("cr8", 63, 64, "int64", "system", sys));
        r.add(new RegisterDescriptor("efer", 64, 64, "i386_efer", "system", sys));
        for (int i = 0; i < MSR_REGISTERS.length; i++) {
            r.add(new RegisterDescriptor(MSR_REGISTERS[i], FIRST_MSR_REGISTER + i, 64, "int64", "msr", sys));
        }
        return List.copyOf(r);
    }

    private long readMsrRegister(int n) {
        return switch (n - FIRST_MSR_REGISTER) {
            case 0 -> apic.apicBaseMsr();
            case 1 -> pat;
            case 2 -> star;
            case 3 -> lstar;
            case 4 -> cstar;
            case 5 -> sfmask;
            case 6 -> kernelGsBase;
            case 7 -> tscAux;
            case 8 -> sysenterCs;
            case 9 -> sysenterEsp;
            default -> sysenterEip;
        };
    }

    private void writeMsrRegister(int n, long v) {
        switch (n - FIRST_MSR_REGISTER) {
            case 0 -> apic.setApicBaseMsr(v);
            case 1 -> pat = v;
            case 2 -> star = v;
            case 3 -> lstar = v;
            case 4 -> cstar = v;
            case 5 -> sfmask = v;
            case 6 -> kernelGsBase = v;
            case 7 -> tscAux = v & 0xFFFF_FFFFL;
            case 8 -> sysenterCs = v;
            case 9 -> sysenterEsp = v;
            default -> sysenterEip = v;
        }
    }

    /** gdb's amd64 GPR order (rax rbx rcx rdx rsi rdi rbp rsp r8..) to the hardware register number. */
    private static final int[] GDB_TO_HW = {RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int[] GDB_SEG = {CS, SS, DS, ES, FS, GS};

    @Override
    public List<RegisterDescriptor> registers() {
        return REGISTERS;
    }

    @Override
    public long readRegister(int n) {
        guestMode.checkRegisterAccess(n);
        if (n < 16) {
            return regs[GDB_TO_HW[n]];
        }
        return switch (n) {
            case 16 -> rip;
            case 17 -> flags();
            case 18, 19, 20, 21, 22, 23 -> segSel[GDB_SEG[n - 18]];
            case 32 -> fpu.control;
            case 33 -> fpu.statusWord();
            case 34 -> fpu.tag;
            case 56 -> mxcsr;
            case 57 -> segBase[FS];
            case 58 -> segBase[GS];
            case 59 -> cr0;
            case 60 -> cr2;
            case 61 -> cr3;
            case 62 -> cr4;
            case 63 -> cr8;
            case 64 -> efer;
            default -> {
                if (n >= 40 && n < 56) {
                    yield xmm[2 * (n - 40)];
                }
                if (n >= FIRST_MSR_REGISTER && n <= LAST_REGISTER) {
                    yield readMsrRegister(n);
                }
                if (n >= 0 && n <= 64) {
                    yield 0;
                }
                throw new IllegalArgumentException("no register number " + n);
            }
        };
    }

    @Override
    public void writeRegister(int n, long v) {
        guestMode.checkRegisterAccess(n);
        if (n < 16) {
            regs[GDB_TO_HW[n]] = v;
            return;
        }
        switch (n) {
            case 16 -> rip = v;
            case 17 -> setFlags(v);
            case 18, 19, 20, 21, 22, 23 -> {
                int seg = GDB_SEG[n - 18];
                segSel[seg] = (int) v & 0xFFFF;
            }
            case 32 -> fpu.control = (int) v & 0xFFFF;
            case 33 -> fpu.setStatusWord((int) v);
            case 34 -> fpu.tag = (int) v & 0xFFFF;
            case 56 -> mxcsr = (int) v;
            case 57 -> segBase[FS] = v;
            case 58 -> segBase[GS] = v;
            case 59 -> { cr0 = v; tlb.flushAll(); updateMode(); }
            case 60 -> cr2 = v;
            case 61 -> { cr3 = v & ~(1L << 63); tlb.flushAll(); tlb.switchPcid((cr4 & CR4_PCIDE) != 0 ? (int) cr3 & 0xFFF : 0); fetchVpn = -1; }
            case 62 -> { cr4 = v; tlb.flushAll(); tlb.switchPcid((cr4 & CR4_PCIDE) != 0 ? (int) cr3 & 0xFFF : 0); fetchVpn = -1; }
            case 63 -> cr8 = v;
            case 64 -> { efer = v; tlb.flushAll(); updateMode(); }
            default -> {
                if (n >= 40 && n < 56) {
                    xmm[2 * (n - 40)] = v;
                } else if (n >= FIRST_MSR_REGISTER && n <= LAST_REGISTER) {
                    writeMsrRegister(n, v);
                } else if (n < 0 || n > 64) {
                    throw new IllegalArgumentException("no register number " + n);
                }
            }
        }
    }

    @Override
    public byte[] readRegisterBytes(int n) {
        guestMode.checkRegisterAccess(n);
        if (n >= 40 && n < 56) {
            byte[] b = new byte[16];
            LittleEndian.putI64(b, 0, xmm[2 * (n - 40)]);
            LittleEndian.putI64(b, 8, xmm[2 * (n - 40) + 1]);
            return b;
        }
        return super.readRegisterBytes(n);
    }

    @Override
    public void writeRegisterBytes(int n, byte[] value) {
        guestMode.checkRegisterAccess(n);
        if (n >= 40 && n < 56 && value.length >= 16) {
            xmm[2 * (n - 40)] = LittleEndian.getI64(value, 0);
            xmm[2 * (n - 40) + 1] = LittleEndian.getI64(value, 8);
            return;
        }
        super.writeRegisterBytes(n, value);
    }

    @Override
    public long pc() {
        return rip;
    }

    @Override
    public void setPc(long pc) {
        rip = pc;
    }

    @Override
    public String describeState() {
        String mode = longMode ? (codeMode == 64 ? "long mode" : "compatibility mode")
                : (cr0 & CR0_PE) != 0 ? "protected mode" : "real mode";
        return switch (state()) {
            case RUNNABLE -> "running in " + mode + (((cr0 & CR0_PG) != 0) ? ", paging" : "");
            case HALTED -> "halted in " + mode;
            case STOPPED -> "waiting for SIPI";
        };
    }
}
