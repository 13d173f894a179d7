/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import static io.hvdbg.riscv.cpu.Op.*;

import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.debug.WatchpointRegistry;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.riscv.jit.Block;
import io.hvdbg.riscv.jit.Jit;
import io.hvdbg.riscv.jit.JitState;
import io.hvdbg.riscv.mmu.RiscvTlb;
import io.hvdbg.riscv.mmu.Translator;

/**
 * The instruction loop of one hart with V=1 (TinyEMU style): instructions come pre-decoded from
 * the shared {@link DecodeCache}; loads, stores and fetches go through small direct-mapped
 * micro-TLBs that point straight into memslot arrays, falling back to the {@link Translator}
 * (two-stage walk, TLB model) on a miss. Traps the guest owns are taken into VS-mode here;
 * everything else becomes a trap into HS-mode, handed to the {@link HartHost} (a VM exit).
 * State lives in the {@link Hart}'s primitive fields; nothing is allocated per instruction.
 */
public final class Interpreter implements CodePages.StoreTlbOwner {
    private static final int UT_SIZE = 256;
    private static final int UT_MASK = UT_SIZE - 1;
    private static final long VSSIP = 1L << Csr.IRQ_VS_SOFT;
    private static final long VSTIP = 1L << Csr.IRQ_VS_TIMER;
    private static final long VSEIP = 1L << Csr.IRQ_VS_EXT;

    private final Hart h;
    private final Translator tr;
    private final RiscvTlb tlb;
    private final CodePages codePages;
    private final DecodeCache cache;
    private final Decoder decoder;
    private final HartHost host;
    private final WatchpointRegistry watchpoints;
    private final long isa;
    private final boolean hasSstc;
    private final boolean hasZicntr;

    // Micro-TLBs: memslot array and page offset in it. Data tags are the page's virtual address
    // (-1 empty); a lookup compares them with the address masked to keep its misalignment bits
    // (as QEMU's softmmu does), so one compare also sends misaligned accesses to the slow path.
    // Fetch tags are virtual page numbers.
    private final long[] rTag = new long[UT_SIZE];
    private final byte[][] rMem = new byte[UT_SIZE][];
    private final int[] rOff = new int[UT_SIZE];
    private final long[] wTag = new long[UT_SIZE];
    private final byte[][] wMem = new byte[UT_SIZE][];
    private final int[] wOff = new int[UT_SIZE];
    private final long[] wGpa = new long[UT_SIZE];
    private final long[] fTag = new long[UT_SIZE];
    private final DecodedPage[] fPage = new DecodedPage[UT_SIZE];

    /** Guest time in ns (one per executed instruction); the vCPU reads and advances it. */
    public long timeNs;
    /** Retired instructions (trapping ones included: they take time too). */
    public long instret;
    /** Guest time at the start of the running slice ({@link #instret} counts up to there). */
    private long sliceStartNs;
    /** Guest time at which the hypervisor's SBI timer fires (a host timer interrupt exit), or MAX_VALUE. */
    public long hostTimerNs = Long.MAX_VALUE;
    /** Host interrupts waiting to be taken as exits: bit 1 software (IPI kick), bit 9 external. */
    public volatile int hostPending;
    /** Set while breakpoints or watchpoints are active: one instruction at a time, no micro-TLB for data. */
    public boolean debugging;
    /** True when the last run ended because an exit handler stopped the VM. */
    private boolean stopped;
    /** Set by instructions that change what may interrupt or stop the loop (CSR writes, sret, exits). */
    private boolean breakOut;
    /** The block compiler of this hart's decode cache, or null while compiled code is off. */
    private Jit jit;
    /** Registers and micro-TLBs as compiled blocks see them (the same arrays as ours). */
    private final JitState jitState;

    public Interpreter(Hart hart, Translator translator, CodePages codePages, DecodeCache cache, HartHost host,
            WatchpointRegistry watchpoints) {
        this.h = hart;
        this.tr = translator;
        this.tlb = translator.tlb();
        this.codePages = codePages;
        this.cache = cache;
        this.decoder = cache.decoder();
        this.host = host;
        this.watchpoints = watchpoints;
        this.isa = cache.isaMask();
        this.hasSstc = (isa & IsaExtension.SSTC.bit()) != 0;
        this.hasZicntr = (isa & IsaExtension.ZICNTR.bit()) != 0;
        this.jitState = new JitState(h.x, rTag, rMem, rOff, wTag, wMem, wOff);
        codePages.addOwner(this);
        flushMicroTlb();
    }

    /**
     * Turns compiled code on or off. With it on, hot blocks run as JVM bytecode (see
     * io.hvdbg.riscv.jit) with the same results, instruction counts and slice ends as
     * interpreted; single-stepping and breakpoints/watchpoints always interpret.
     */
    public void setJitEnabled(boolean on) {
        setJit(on, Jit.DEFAULT_THRESHOLD);
    }

    /** As {@link #setJitEnabled}, compiling a block start after {@code threshold} arrivals. */
    public void setJit(boolean on, int threshold) {
        jit = on ? cache.jit(threshold) : null;
    }

    public boolean jitEnabled() {
        return jit != null;
    }

    /** Blocks compiled so far for this hart's decode cache (0 with compiled code off). */
    public int compiledBlocks() {
        return jit == null ? 0 : jit.compiledBlocks();
    }

    public Hart hart() {
        return h;
    }

    public Translator translator() {
        return tr;
    }

    // ---- micro-TLB -------------------------------------------------------------------------

    /** Forgets every cached translation (satp, privilege, SUM/MXR changes; fences). */
    public void flushMicroTlb() {
        breakOut = true;
        java.util.Arrays.fill(rTag, -1L);
        java.util.Arrays.fill(wTag, -1L);
        java.util.Arrays.fill(fTag, -1L);
    }

    @Override
    public void evictStorePage(long gpaPage) {
        for (int i = 0; i < UT_SIZE; i++) {
            if (wTag[i] != -1L && wGpa[i] == gpaPage) {
                wTag[i] = -1L;
            }
        }
    }

    // ---- time and interrupts ---------------------------------------------------------------

    /** The tick count the guest reads from {@code time}. */
    public long timeTicks() {
        return timeNs / Timebase.NS_PER_TICK + h.htimedelta;
    }

    /** True if vstimecmp is live for the guest (Sstc enabled and henvcfg.STCE set by the hypervisor). */
    public boolean sstcActive() {
        return hasSstc && (h.henvcfg & Csr.ENVCFG_STCE) != 0;
    }

    /** VS-level interrupts pending (hvip plus the Sstc timer), as hip bits. */
    public long pendingVs() {
        long p = h.hvip;
        if (sstcActive() && Long.compareUnsigned(timeTicks(), h.vstimecmp) >= 0) {
            p |= VSTIP;
        }
        return p & h.hideleg;
    }

    /** True if an enabled VS interrupt is pending (what wakes a WFI, regardless of sstatus.SIE). */
    public boolean wakeupPending() {
        return (pendingVs() & h.hie) != 0;
    }

    /** Guest ns of the next vstimecmp expiry that could interrupt the guest, or MAX_VALUE. */
    public long guestTimerNs() {
        if (!sstcActive() || (h.hie & VSTIP) == 0) {
            return Long.MAX_VALUE;
        }
        long ticks = h.vstimecmp - h.htimedelta;
        if (h.vstimecmp < 0 || ticks < 0) {
            return h.vstimecmp < 0 ? Long.MAX_VALUE : 0;
        }
        return Timebase.deadlineNs(ticks);
    }

    /** Takes a pending, enabled VS interrupt into the guest; true if one was taken. */
    private boolean takeInterrupt() {
        long en = pendingVs() & h.hie;
        if (en == 0 || (h.priv == Hart.PRIV_S && (h.vsstatus & Csr.SSTATUS_SIE) == 0)) {
            return false;
        }
        int irq = (en & VSEIP) != 0 ? Csr.IRQ_VS_EXT : (en & VSSIP) != 0 ? Csr.IRQ_VS_SOFT : Csr.IRQ_VS_TIMER;
        enterVs(Trap.INTERRUPT | (irq - 1), 0);
        return true;
    }

    // ---- the loop --------------------------------------------------------------------------

    /**
     * Runs up to {@code budget} instructions. Returns early when an exit handler stops the VM or
     * the hart stops being runnable (WFI, HSM stop), or a debugger stop is requested.
     */
    public void run(long budget) {
        long end = timeNs + budget;
        stopped = false;
        while (timeNs < end && !stopped) {
            if (hostPending != 0 || timeNs >= hostTimerNs) {
                try {
                    takeHostInterrupt();
                } catch (Unwind u) {
                    // the exit was handled; go on from h.pc
                }
                continue;
            }
            if (!host.runnable() || host.stopRequested()) {
                return;
            }
            takeInterrupt();
            long sliceEnd = end;
            long dl = Math.min(hostTimerNs, guestTimerNs());
            if (dl > timeNs && dl < sliceEnd) {
                sliceEnd = dl;
            }
            if (debugging) {
                if (host.breakpointAt(h.pc)) {
                    return;
                }
                sliceEnd = timeNs + 1;
            }
            breakOut = false;
            long before = sliceStartNs = timeNs;
            try {
                if (jit != null && !debugging) {
                    dispatch(sliceEnd);
                } else {
                    inner(sliceEnd, false);
                }
            } catch (Unwind u) {
                // a trap was taken (into the guest or the hypervisor); h.pc says where to go on
            }
            instret += timeNs - before;
            if (debugging) {
                host.retiredWhileDebugging();
            }
        }
    }

    private void takeHostInterrupt() {
        int cause;
        if ((hostPending & (1 << 1)) != 0) {
            hostPending &= ~(1 << 1);
            cause = 1;
        } else if ((hostPending & (1 << 9)) != 0) {
            hostPending &= ~(1 << 9);
            cause = 9;
        } else {
            hostTimerNs = Long.MAX_VALUE;
            cause = 5;
        }
        exitToHost(Trap.INTERRUPT | cause, 0, 0, 0, 0, 0);
    }

    /**
     * Runs instructions until guest time reaches {@code end} or something ends the slice. The
     * common integer operations and the micro-TLB hits of loads and stores run here without
     * touching any field but the register file and guest memory; pc and guest time live in
     * locals and are written back to {@link Hart#pc} and {@link #timeNs} before anything else
     * runs ({@link #slowOp}, fetch misses, decoding), so every helper, trap and exit sees them
     * exact, as if they were written every instruction.
     */
    private void inner(long end, boolean exitOnJump) {
        final long[] x = h.x;
        final long[] rTag = this.rTag;
        final byte[][] rMem = this.rMem;
        final int[] rOff = this.rOff;
        final long[] wTag = this.wTag;
        final byte[][] wMem = this.wMem;
        final int[] wOff = this.wOff;
        long pc = h.pc;
        // The decoded page of the current pc, kept while execution stays in it (flushes of the
        // micro-TLB end this loop through breakOut, so it never outlives a translation change).
        long codeVpn = -1;
        DecodedPage page = null;
        long[] code = null;
        long now = timeNs;
        loop:
        while (now < end) {
            now++;
            if ((pc >>> 12) != codeVpn) {
                h.pc = pc;
                timeNs = now;
                page = fetchPageFor(pc);
                code = page.code;
                codeVpn = pc >>> 12;
            }
            int slot = ((int) pc & 0xFFF) >>> 1;
            long d = code[slot];
            if (d == 0) {
                h.pc = pc;
                timeNs = now;
                d = decodeAt(page, pc, slot);
            }
            switch (op(d)) {
                case ADDI: x[rd(d)] = x[rs1(d)] + imm(d); pc += length(d); continue;
                case LUI: x[rd(d)] = imm(d); pc += length(d); continue;
                case AUIPC: x[rd(d)] = pc + imm(d); pc += length(d); continue;
                // Taken jumps end the loop when the dispatcher wants to see every block start.
                case JAL: x[rd(d)] = pc + length(d); pc += imm(d); if (exitOnJump) { break loop; } continue;
                case JALR: {
                    long t = (x[rs1(d)] + imm(d)) & ~1L;
                    x[rd(d)] = pc + length(d);
                    pc = t;
                    if (exitOnJump) {
                        break loop;
                    }
                    continue;
                }
                case BEQ: if (x[rs1(d)] == x[rs2(d)]) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case BNE: if (x[rs1(d)] != x[rs2(d)]) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case BLT: if (x[rs1(d)] < x[rs2(d)]) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case BGE: if (x[rs1(d)] >= x[rs2(d)]) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case BLTU: if (Long.compareUnsigned(x[rs1(d)], x[rs2(d)]) < 0) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case BGEU: if (Long.compareUnsigned(x[rs1(d)], x[rs2(d)]) >= 0) { pc += imm(d); if (exitOnJump) { break loop; } } else { pc += length(d); } continue;
                case LB, LBU: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (rTag[i] == (a & ~0xFFFL)) {
                        byte v = rMem[i][rOff[i] + ((int) a & 0xFFF)];
                        x[rd(d)] = op(d) == LB ? v : v & 0xFF;
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case LH, LHU: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (rTag[i] == (a & ~0xFFEL)) {
                        int v = LittleEndian.getU16(rMem[i], rOff[i] + ((int) a & 0xFFF));
                        x[rd(d)] = op(d) == LH ? (short) v : v;
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case LW, LWU: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (rTag[i] == (a & ~0xFFCL)) {
                        int v = LittleEndian.getI32(rMem[i], rOff[i] + ((int) a & 0xFFF));
                        x[rd(d)] = op(d) == LW ? v : v & 0xFFFF_FFFFL;
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case LD: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (rTag[i] == (a & ~0xFF8L)) {
                        x[rd(d)] = LittleEndian.getI64(rMem[i], rOff[i] + ((int) a & 0xFFF));
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case SB: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (wTag[i] == (a & ~0xFFFL)) {
                        wMem[i][wOff[i] + ((int) a & 0xFFF)] = (byte) x[rs2(d)];
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case SH: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (wTag[i] == (a & ~0xFFEL)) {
                        LittleEndian.putU16(wMem[i], wOff[i] + ((int) a & 0xFFF), (int) x[rs2(d)]);
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case SW: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (wTag[i] == (a & ~0xFFCL)) {
                        LittleEndian.putI32(wMem[i], wOff[i] + ((int) a & 0xFFF), (int) x[rs2(d)]);
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case SD: {
                    long a = x[rs1(d)] + imm(d);
                    int i = (int) (a >>> 12) & UT_MASK;
                    if (wTag[i] == (a & ~0xFF8L)) {
                        LittleEndian.putI64(wMem[i], wOff[i] + ((int) a & 0xFFF), x[rs2(d)]);
                        pc += length(d);
                        continue;
                    }
                    break;
                }
                case ADDI_BRANCH, ADD_BRANCH: {
                    x[rd(d)] = x[rs1(d)] + (op(d) == ADDI_BRANCH ? imm(d) : x[rs2(d)]);
                    pc += length(d);
                    // The branch after it: same page (checked when fused), still a branch
                    // (its slot is cleared when its bytes change), and time left in the slice.
                    long b = code[((int) pc & 0xFFF) >>> 1];
                    int bop = op(b);
                    if (now < end && bop >= BEQ && bop <= BGEU) {
                        now++;
                        if (branchTaken(bop, x[rs1(b)], x[rs2(b)])) {
                            pc += imm(b);
                            if (exitOnJump) {
                                break loop;
                            }
                        } else {
                            pc += length(b);
                        }
                    }
                    continue;
                }
                case SLTI: x[rd(d)] = x[rs1(d)] < imm(d) ? 1 : 0; pc += length(d); continue;
                case SLTIU: x[rd(d)] = Long.compareUnsigned(x[rs1(d)], imm(d)) < 0 ? 1 : 0; pc += length(d); continue;
                case XORI: x[rd(d)] = x[rs1(d)] ^ imm(d); pc += length(d); continue;
                case ORI: x[rd(d)] = x[rs1(d)] | imm(d); pc += length(d); continue;
                case ANDI: x[rd(d)] = x[rs1(d)] & imm(d); pc += length(d); continue;
                case SLLI: x[rd(d)] = x[rs1(d)] << imm(d); pc += length(d); continue;
                case SRLI: x[rd(d)] = x[rs1(d)] >>> imm(d); pc += length(d); continue;
                case SRAI: x[rd(d)] = x[rs1(d)] >> imm(d); pc += length(d); continue;
                case ADD: x[rd(d)] = x[rs1(d)] + x[rs2(d)]; pc += length(d); continue;
                case SUB: x[rd(d)] = x[rs1(d)] - x[rs2(d)]; pc += length(d); continue;
                case SLL: x[rd(d)] = x[rs1(d)] << x[rs2(d)]; pc += length(d); continue;
                case SLT: x[rd(d)] = x[rs1(d)] < x[rs2(d)] ? 1 : 0; pc += length(d); continue;
                case SLTU: x[rd(d)] = Long.compareUnsigned(x[rs1(d)], x[rs2(d)]) < 0 ? 1 : 0; pc += length(d); continue;
                case XOR: x[rd(d)] = x[rs1(d)] ^ x[rs2(d)]; pc += length(d); continue;
                case SRL: x[rd(d)] = x[rs1(d)] >>> x[rs2(d)]; pc += length(d); continue;
                case SRA: x[rd(d)] = x[rs1(d)] >> x[rs2(d)]; pc += length(d); continue;
                case OR: x[rd(d)] = x[rs1(d)] | x[rs2(d)]; pc += length(d); continue;
                case AND: x[rd(d)] = x[rs1(d)] & x[rs2(d)]; pc += length(d); continue;
                case ADDIW: x[rd(d)] = (int) (x[rs1(d)] + imm(d)); pc += length(d); continue;
                case SLLIW: x[rd(d)] = (int) x[rs1(d)] << imm(d); pc += length(d); continue;
                case SRLIW: x[rd(d)] = (int) x[rs1(d)] >>> imm(d); pc += length(d); continue;
                case SRAIW: x[rd(d)] = (int) x[rs1(d)] >> imm(d); pc += length(d); continue;
                case ADDW: x[rd(d)] = (int) (x[rs1(d)] + x[rs2(d)]); pc += length(d); continue;
                case SUBW: x[rd(d)] = (int) (x[rs1(d)] - x[rs2(d)]); pc += length(d); continue;
                case SLLW: x[rd(d)] = (int) x[rs1(d)] << (x[rs2(d)] & 31); pc += length(d); continue;
                case SRLW: x[rd(d)] = (int) x[rs1(d)] >>> (x[rs2(d)] & 31); pc += length(d); continue;
                case SRAW: x[rd(d)] = (int) x[rs1(d)] >> (x[rs2(d)] & 31); pc += length(d); continue;
                case MUL: x[rd(d)] = x[rs1(d)] * x[rs2(d)]; pc += length(d); continue;
                case MULW: x[rd(d)] = (int) x[rs1(d)] * (int) x[rs2(d)]; pc += length(d); continue;
                default:
                    break;
            }
            // Everything else (and micro-TLB misses): helpers see the exact pc and time.
            h.pc = pc;
            timeNs = now;
            pc = slowOp(d, pc);
            if (breakOut) {
                h.pc = pc;
                return;
            }
        }
        h.pc = pc;
        timeNs = now;
    }

    /**
     * Runs the slice with compiled blocks where there are some: at each block start (the pc
     * after a taken jump or after a block) runs its block if one pass fits in the slice, else
     * counts the arrival and interprets up to the next taken jump (as after a block that could
     * not even start, so every round makes progress). A block start whose page is
     * not in the fetch micro-TLB is interpreted first (the interpreter takes fetch faults).
     */
    private void dispatch(long end) {
        final Jit jit = this.jit;
        final JitState js = jitState;
        while (timeNs < end) {
            long pc = h.pc;
            long vpn = pc >>> 12;
            int t = (int) vpn & UT_MASK;
            if (fTag[t] == vpn) {
                DecodedPage page = fPage[t];
                int slot = ((int) pc & 0xFFF) >>> 1;
                Block[] blocks = page.blocks;
                Block b = blocks != null ? blocks[slot] : null;
                if (b == null) {
                    b = jit.arrive(page, slot);
                }
                if (b != null && timeNs + b.length <= end) {
                    long before = timeNs;
                    h.pc = b.code.run(js, pc, timeNs, end);
                    timeNs = js.timeNs;
                    if (timeNs != before) {
                        continue;
                    }
                    // Left at its first instruction (a micro-TLB miss): the interpreter runs it.
                }
            }
            inner(end, true);
            if (breakOut) {
                return;
            }
        }
    }

    private static boolean branchTaken(int op, long a, long b) {
        switch (op) {
            case BEQ: return a == b;
            case BNE: return a != b;
            case BLT: return a < b;
            case BGE: return a >= b;
            case BLTU: return Long.compareUnsigned(a, b) < 0;
            default: return Long.compareUnsigned(a, b) >= 0;
        }
    }

    /**
     * The operations outside the hot switch of {@link #inner}, with {@link Hart#pc} and
     * {@link #timeNs} already written back; returns the pc of the next instruction.
     */
    private long slowOp(long d, long pc) {
        final long[] x = h.x;
        switch (op(d)) {
            case LB: x[rd(d)] = (byte) load8(x[rs1(d)] + imm(d), d); break;
            case LBU: x[rd(d)] = load8(x[rs1(d)] + imm(d), d) & 0xFF; break;
            case LH: x[rd(d)] = (short) load16(x[rs1(d)] + imm(d), d); break;
            case LHU: x[rd(d)] = load16(x[rs1(d)] + imm(d), d) & 0xFFFF; break;
            case LW: x[rd(d)] = (int) load32(x[rs1(d)] + imm(d), d); break;
            case LWU: x[rd(d)] = load32(x[rs1(d)] + imm(d), d) & 0xFFFF_FFFFL; break;
            case LD: x[rd(d)] = load64(x[rs1(d)] + imm(d), d); break;
            case SB: store(x[rs1(d)] + imm(d), 1, x[rs2(d)], d); break;
            case SH: store(x[rs1(d)] + imm(d), 2, x[rs2(d)], d); break;
            case SW: store(x[rs1(d)] + imm(d), 4, x[rs2(d)], d); break;
            case SD: store(x[rs1(d)] + imm(d), 8, x[rs2(d)], d); break;
            case JALR_NOC: {
                long t = (x[rs1(d)] + imm(d)) & ~1L;
                if ((t & 2) != 0) {
                    exception(Trap.INSN_MISALIGNED, t);
                }
                x[rd(d)] = pc + length(d);
                return t;
            }
            case MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, DIVW, DIVUW, REMW, REMUW,
                    SH1ADD, SH2ADD, SH3ADD, ADD_UW, SH1ADD_UW, SH2ADD_UW, SH3ADD_UW, ANDN, ORN, XNOR,
                    MAX, MAXU, MIN, MINU, ROL, ROLW, ROR, RORW, BCLR, BEXT, BINV, BSET:
                x[rd(d)] = Alu.compute(op(d), x[rs1(d)], x[rs2(d)]);
                break;
            case SLLI_UW, RORI, RORIW, BCLRI, BEXTI, BINVI, BSETI:
                x[rd(d)] = Alu.compute(op(d), x[rs1(d)], imm(d));
                break;
            case CLZ, CLZW, CTZ, CTZW, CPOP, CPOPW, SEXT_B, SEXT_H, ZEXT_H, ORC_B, REV8:
                x[rd(d)] = Alu.compute(op(d), x[rs1(d)], 0);
                break;
            case FENCE, FENCE_I: break;
            case ECALL:
                if (h.priv == Hart.PRIV_U) {
                    exception(Trap.ECALL_U, 0);
                }
                exitToHost(Trap.ECALL_VS, 0, 0, 0, (x[17] & 0xFFFF_FFFFL) | (x[16] << 32), 4);
                break;
            case EBREAK: exception(Trap.BREAKPOINT, pc); break;
            case SRET: sret(d); return h.pc;
            case WFI, VIRTUAL: virtualInstruction(d); break;
            case SFENCE_VMA: sfenceVma(d); break;
            case CSR: csr(d); break;
            case LR_W: x[rd(d)] = loadReserved(x[rs1(d)], 4); break;
            case LR_D: x[rd(d)] = loadReserved(x[rs1(d)], 8); break;
            case SC_W: x[rd(d)] = storeConditional(x[rs1(d)], 4, x[rs2(d)]); break;
            case SC_D: x[rd(d)] = storeConditional(x[rs1(d)], 8, x[rs2(d)]); break;
            case AMO: amo(d); break;
            case FLW: fpCheck(d); h.f[rd(d) & 31] = 0xFFFF_FFFF_0000_0000L | (load32(x[rs1(d)] + imm(d), d) & 0xFFFF_FFFFL); h.fpDirty(); break;
            case FLD: fpCheck(d); h.f[rd(d) & 31] = load64(x[rs1(d)] + imm(d), d); h.fpDirty(); break;
            case FSW: fpCheck(d); store(x[rs1(d)] + imm(d), 4, h.f[rs2(d)], d); break;
            case FSD: fpCheck(d); store(x[rs1(d)] + imm(d), 8, h.f[rs2(d)], d); break;
            case FP, FMA:
                fpCheck(d);
                if (!Fpu.execute(h, raw(d))) {
                    exception(Trap.ILLEGAL_INSN, raw(d) & 0xFFFF_FFFFL);
                }
                break;
            case JUMP_MISALIGNED:
                return misalignedJump(d, pc);
            default:
                exception(Trap.ILLEGAL_INSN, raw(d) & (length(d) == 4 ? 0xFFFF_FFFFL : 0xFFFFL));
        }
        return pc + length(d);
    }

    // ---- fetch -----------------------------------------------------------------------------

    private DecodedPage fetchPageFor(long pc) {
        long vpn = pc >>> 12;
        int i = (int) vpn & UT_MASK;
        return fTag[i] == vpn ? fPage[i] : fetchPage(pc, i);
    }

    private DecodedPage fetchPage(long pc, int i) {
        int r = tr.translate(pc, Trap.ACCESS_FETCH);
        if (r == Translator.PAGE_FAULT) {
            exception(Trap.INSN_PAGE_FAULT, pc);
        } else if (r == Translator.GUEST_PAGE_FAULT) {
            guestPageFault(Trap.INSN_GUEST_PAGE_FAULT, pc, tr.faultGpa, tr.faultImplicit ? Trap.PSEUDO_PTE_READ : 0, 0);
        }
        MemorySlot s = tr.slotOf(tr.hpa);
        int pageIndex = Translator.offsetOf(tr.hpa) >>> 12;
        DecodedPage p = cache.page(s, pageIndex);
        fTag[i] = pc >>> 12;
        fPage[i] = p;
        return p;
    }

    private long decodeAt(DecodedPage p, long pc, int slot) {
        int off = (int) pc & 0xFFF;
        int lo = LittleEndian.getU16(p.memory, p.offset + off);
        if ((lo & 3) != 3) {
            return p.code[slot] = fuse(p, off, decoder.decode16(lo));
        }
        if (off == 0xFFE) {
            // Crosses into the next page: decode every time (the next page may change on its own).
            DecodedPage next = fetchPageNoCache(pc + 2);
            int hi = LittleEndian.getU16(next.memory, next.offset);
            return decoder.decode32(lo | (hi << 16));
        }
        return p.code[slot] = fuse(p, off, decoder.decode32(LittleEndian.getI32(p.memory, p.offset + off)));
    }

    /**
     * Turns an addi / add followed, in the same page, by a conditional branch into its
     * superinstruction (one dispatch for the pair), decoding the branch into its slot too.
     */
    private long fuse(DecodedPage p, int off, long d) {
        int o = op(d);
        int next = off + length(d);
        if ((o != ADDI && o != ADD) || next > 0xFFC) {
            return d;
        }
        int nslot = next >>> 1;
        long b = p.code[nslot];
        if (b == 0) {
            int lo = LittleEndian.getU16(p.memory, p.offset + next);
            b = (lo & 3) != 3 ? decoder.decode16(lo) : decoder.decode32(LittleEndian.getI32(p.memory, p.offset + next));
            if (op(b) != ADDI && op(b) != ADD) {
                p.code[nslot] = b; // (an addi / add is left to decodeAt, which may fuse it in turn)
            }
        }
        if (op(b) < BEQ || op(b) > BGEU) {
            return d;
        }
        return (d & ~0xFFL) | (o == ADDI ? ADDI_BRANCH : ADD_BRANCH);
    }

    private DecodedPage fetchPageNoCache(long va) {
        int r = tr.translate(va, Trap.ACCESS_FETCH);
        if (r == Translator.PAGE_FAULT) {
            exception(Trap.INSN_PAGE_FAULT, va);
        } else if (r == Translator.GUEST_PAGE_FAULT) {
            guestPageFault(Trap.INSN_GUEST_PAGE_FAULT, va, tr.faultGpa, 0, 0);
        }
        return cache.page(tr.slotOf(tr.hpa), Translator.offsetOf(tr.hpa) >>> 12);
    }

    /** The raw bits of the instruction at pc (for htinst and stval), 0 if it cannot be read. */
    public int rawInstructionAt(long pc) {
        long gpa = tr.translateForDebug(pc);
        MemorySlot s = gpa < 0 ? null : tr.slotForGpa(gpa);
        if (s == null || !s.contains(gpa + 1)) {
            return 0;
        }
        int lo = LittleEndian.getU16(s.data(), (int) (gpa - s.base()));
        if ((lo & 3) != 3 || !s.contains(gpa + 3)) {
            return lo;
        }
        return LittleEndian.getI32(s.data(), (int) (gpa - s.base()));
    }

    // ---- loads and stores ------------------------------------------------------------------

    private long load8(long a, long d) {
        int i = (int) (a >>> 12) & UT_MASK;
        if (rTag[i] == (a & ~0xFFFL)) {
            return rMem[i][rOff[i] + ((int) a & 0xFFF)];
        }
        return loadSlow(a, 1, d);
    }

    private long load16(long a, long d) {
        int i = (int) (a >>> 12) & UT_MASK;
        if (rTag[i] == (a & ~0xFFEL)) {
            return LittleEndian.getU16(rMem[i], rOff[i] + ((int) a & 0xFFF));
        }
        return loadSlow(a, 2, d);
    }

    private long load32(long a, long d) {
        int i = (int) (a >>> 12) & UT_MASK;
        if (rTag[i] == (a & ~0xFFCL)) {
            return LittleEndian.getI32(rMem[i], rOff[i] + ((int) a & 0xFFF));
        }
        return loadSlow(a, 4, d);
    }

    private long load64(long a, long d) {
        int i = (int) (a >>> 12) & UT_MASK;
        if (rTag[i] == (a & ~0xFF8L)) {
            return LittleEndian.getI64(rMem[i], rOff[i] + ((int) a & 0xFFF));
        }
        return loadSlow(a, 8, d);
    }

    private long loadSlow(long a, int size, long d) {
        if (((a & 0xFFF) + size) > 0x1000) {
            long v = 0;
            for (int k = 0; k < size; k++) {
                v |= (loadSlow(a + k, 1, d) & 0xFF) << (8 * k);
            }
            return v;
        }
        int i = (int) (a >>> 12) & UT_MASK;
        if (rTag[i] == (a & ~0xFFFL)) {
            return LittleEndian.get(rMem[i], rOff[i] + ((int) a & 0xFFF), size); // misaligned in a cached page
        }
        if (watchpoints.isActive()) {
            Watchpoint w = watchpoints.check(a, size, false);
            if (w != null) {
                host.watchpointHit(w, a);
            }
        }
        int r = tr.translate(a, Trap.ACCESS_LOAD);
        if (r == Translator.PAGE_FAULT) {
            exception(Trap.LOAD_PAGE_FAULT, a);
        } else if (r == Translator.GUEST_PAGE_FAULT) {
            guestPageFault(Trap.LOAD_GUEST_PAGE_FAULT, a, tr.faultGpa,
                    tr.faultImplicit ? Trap.PSEUDO_PTE_READ : transformedLoad(d), length(d));
        }
        MemorySlot s = tr.slotOf(tr.hpa);
        int off = Translator.offsetOf(tr.hpa);
        if (!debugging) {
            rTag[i] = a & ~0xFFFL;
            rMem[i] = s.data();
            rOff[i] = off & ~0xFFF;
        }
        return LittleEndian.get(s.data(), off, size);
    }

    private void store(long a, int size, long v, long d) {
        int i = (int) (a >>> 12) & UT_MASK;
        if (wTag[i] == (a & (~0xFFFL | (size - 1)))) {
            byte[] m = wMem[i];
            int o = wOff[i] + ((int) a & 0xFFF);
            switch (size) {
                case 1 -> m[o] = (byte) v;
                case 2 -> LittleEndian.putU16(m, o, (int) v);
                case 4 -> LittleEndian.putI32(m, o, (int) v);
                default -> LittleEndian.putI64(m, o, v);
            }
            return;
        }
        storeSlow(a, size, v, d);
    }

    private void storeSlow(long a, int size, long v, long d) {
        if (((a & 0xFFF) + size) > 0x1000) {
            for (int k = 0; k < size; k++) {
                storeSlow(a + k, 1, v >>> (8 * k), d);
            }
            return;
        }
        int i = (int) (a >>> 12) & UT_MASK;
        if (wTag[i] == (a & ~0xFFFL)) {
            LittleEndian.put(wMem[i], wOff[i] + ((int) a & 0xFFF), size, v); // misaligned in a cached page
            return;
        }
        if (watchpoints.isActive()) {
            Watchpoint w = watchpoints.check(a, size, true);
            if (w != null) {
                host.watchpointHit(w, a);
            }
        }
        int r = tr.translate(a, Trap.ACCESS_STORE);
        if (r == Translator.PAGE_FAULT) {
            exception(Trap.STORE_PAGE_FAULT, a);
        } else if (r == Translator.GUEST_PAGE_FAULT) {
            guestPageFault(Trap.STORE_GUEST_PAGE_FAULT, a, tr.faultGpa,
                    tr.faultImplicit ? Trap.PSEUDO_PTE_WRITE : transformedStore(d), length(d));
        }
        MemorySlot s = tr.slotOf(tr.hpa);
        int off = Translator.offsetOf(tr.hpa);
        LittleEndian.put(s.data(), off, size, v);
        if ((s.pageFlags()[off >>> 12] & CodePages.CODE) != 0) {
            codePages.storeToCode(s, off, size);
        } else if (!debugging) {
            wTag[i] = a & ~0xFFFL;
            wMem[i] = s.data();
            wOff[i] = off & ~0xFFF;
            wGpa[i] = tr.gpa & ~0xFFFL;
        }
    }

    /** htinst for a load (the transformed instruction of the privileged spec: offset fields zero). */
    private static int transformedLoad(long d) {
        int o = op(d);
        int f3;
        int opcode = 0x03;
        switch (o) {
            case LB -> f3 = 0;
            case LH -> f3 = 1;
            case LW -> f3 = 2;
            case LD -> f3 = 3;
            case LBU -> f3 = 4;
            case LHU -> f3 = 5;
            case LWU -> f3 = 6;
            case FLW -> { f3 = 2; opcode = 0x07; }
            case FLD -> { f3 = 3; opcode = 0x07; }
            default -> { return 0; }
        }
        int rd = rd(d) == SINK ? 0 : rd(d);
        int insn = (rd << 7) | (f3 << 12) | opcode;
        return length(d) == 4 ? insn : insn & ~2;
    }

    private static int transformedStore(long d) {
        int o = op(d);
        int f3;
        int opcode = 0x23;
        switch (o) {
            case SB -> f3 = 0;
            case SH -> f3 = 1;
            case SW -> f3 = 2;
            case SD -> f3 = 3;
            case FSW -> { f3 = 2; opcode = 0x27; }
            case FSD -> { f3 = 3; opcode = 0x27; }
            default -> { return 0; }
        }
        int insn = (rs2(d) << 20) | (f3 << 12) | opcode;
        return length(d) == 4 ? insn : insn & ~2;
    }

    // ---- atomics ---------------------------------------------------------------------------

    /** The memslot of the last {@link #amoAddress} translation. */
    private MemorySlot amoSlot;

    /**
     * Translates the address of an atomic access (natural alignment; write permission unless
     * it is an lr); returns the offset in {@link #amoSlot}.
     */
    private int amoAddress(long a, int size, boolean forLoad) {
        if ((a & (size - 1)) != 0) {
            exitOrTrap(forLoad ? Trap.LOAD_MISALIGNED : Trap.STORE_MISALIGNED, a);
        }
        int r = tr.translate(a, forLoad ? Trap.ACCESS_LOAD : Trap.ACCESS_STORE);
        if (r == Translator.PAGE_FAULT) {
            exception(forLoad ? Trap.LOAD_PAGE_FAULT : Trap.STORE_PAGE_FAULT, a);
        } else if (r == Translator.GUEST_PAGE_FAULT) {
            // Atomics on MMIO cannot be emulated (no htinst): the exit handler injects an access fault.
            guestPageFault(forLoad ? Trap.LOAD_GUEST_PAGE_FAULT : Trap.STORE_GUEST_PAGE_FAULT, a, tr.faultGpa, 0, 4);
        }
        amoSlot = tr.slotOf(tr.hpa);
        return Translator.offsetOf(tr.hpa);
    }

    private void amoWritten(int off, int size) {
        if ((amoSlot.pageFlags()[off >>> 12] & CodePages.CODE) != 0) {
            codePages.storeToCode(amoSlot, off, size);
        }
    }

    private long loadReserved(long a, int size) {
        int off = amoAddress(a, size, true);
        long v = LittleEndian.get(amoSlot.data(), off, size);
        v = size == 4 ? (int) v : v;
        h.resValid = true;
        h.resAddr = tr.gpa;
        h.resSize = size;
        h.resValue = v;
        return v;
    }

    /**
     * sc: succeeds while the reservation holds and memory still has the value lr read (no
     * other hart or device changed it), so a retry loop always completes (Ziccrse).
     */
    private long storeConditional(long a, int size, long v) {
        int off = amoAddress(a, size, false);
        long cur = LittleEndian.get(amoSlot.data(), off, size);
        cur = size == 4 ? (int) cur : cur;
        boolean ok = h.resValid && h.resAddr == tr.gpa && h.resSize == size && cur == h.resValue;
        h.resValid = false;
        if (!ok) {
            return 1;
        }
        LittleEndian.put(amoSlot.data(), off, size, v);
        amoWritten(off, size);
        return 0;
    }

    private void amo(long d) {
        int raw = raw(d);
        int f5 = raw >>> 27;
        int f3 = (raw >>> 12) & 7;
        int rd = (raw >>> 7) & 31;
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        long[] x = h.x;
        if (f3 == 4) {
            amocasQ(x[rs1], rd, rs2);
            return;
        }
        int size = 1 << f3;
        int off = amoAddress(x[rs1], size, false);
        byte[] m = amoSlot.data();
        long old = signExtend(LittleEndian.get(m, off, size), size);
        long src = signExtend(x[rs2], size);
        long nv;
        switch (f5) {
            case 0x00 -> nv = old + src;
            case 0x01 -> nv = src;
            case 0x04 -> nv = old ^ src;
            case 0x08 -> nv = old | src;
            case 0x0C -> nv = old & src;
            case 0x10 -> nv = Math.min(old, src);
            case 0x14 -> nv = Math.max(old, src);
            case 0x18 -> nv = Long.compareUnsigned(zeroExtend(old, size), zeroExtend(src, size)) <= 0 ? old : src;
            case 0x1C -> nv = Long.compareUnsigned(zeroExtend(old, size), zeroExtend(src, size)) >= 0 ? old : src;
            case 0x05 -> nv = old == signExtend(x[rd], size) ? src : old; // amocas.b/h/w/d
            default -> throw new IllegalStateException("decoder let through AMO funct5 " + f5);
        }
        LittleEndian.put(m, off, size, nv);
        amoWritten(off, size);
        if (rd != 0) {
            x[rd] = old;
        }
    }

    /** amocas.q: 128-bit compare-and-swap on even/odd register pairs (x0 pairs read as zero). */
    private void amocasQ(long a, int rd, int rs2) {
        int off = amoAddress(a, 16, false);
        byte[] m = amoSlot.data();
        long[] x = h.x;
        long oldLo = LittleEndian.getI64(m, off);
        long oldHi = LittleEndian.getI64(m, off + 8);
        long cmpLo = rd == 0 ? 0 : x[rd];
        long cmpHi = rd == 0 ? 0 : x[rd + 1];
        if (oldLo == cmpLo && oldHi == cmpHi) {
            LittleEndian.putI64(m, off, rs2 == 0 ? 0 : x[rs2]);
            LittleEndian.putI64(m, off + 8, rs2 == 0 ? 0 : x[rs2 + 1]);
            amoWritten(off, 16);
        }
        if (rd != 0) {
            x[rd] = oldLo;
            x[rd + 1] = oldHi;
        }
    }

    private static long signExtend(long v, int size) {
        return switch (size) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
    }

    private static long zeroExtend(long v, int size) {
        return size == 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    // ---- system ----------------------------------------------------------------------------

    private void sret(long d) {
        if (h.priv == Hart.PRIV_U) {
            virtualInstruction(d);
        }
        long s = h.vsstatus;
        int newPriv = (s & Csr.SSTATUS_SPP) != 0 ? Hart.PRIV_S : Hart.PRIV_U;
        s = (s & ~Csr.SSTATUS_SIE) | ((s & Csr.SSTATUS_SPIE) != 0 ? Csr.SSTATUS_SIE : 0);
        s |= Csr.SSTATUS_SPIE;
        s &= ~Csr.SSTATUS_SPP;
        h.vsstatus = s;
        setPriv(newPriv);
        h.pc = h.vsepc;
        breakOut = true;
    }

    private void setPriv(int p) {
        if (p != h.priv) {
            h.priv = p;
            flushMicroTlb();
        }
    }

    private void sfenceVma(long d) {
        if (h.priv == Hart.PRIV_U) {
            virtualInstruction(d);
        }
        int raw = raw(d);
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        long va = rs1 == 0 ? -1 : h.x[rs1] & ~0xFFFL;
        int asid = rs2 == 0 ? -1 : (int) h.x[rs2] & 0xFFFF;
        int n = tlb.flushVs(tr.gstage().vmid(), va, asid);
        String scope = va < 0 && asid < 0 ? "all" : va < 0 ? "asid " + asid : asid < 0 ? "address" : "address+asid";
        tlb.record(timeNs, "sfence.vma", scope, va < 0 ? 0 : va, false, n);
        flushMicroTlb();
    }

    private void fpCheck(long d) {
        if ((h.vsstatus & Csr.SSTATUS_FS) == 0) {
            exception(Trap.ILLEGAL_INSN, raw(d) & (length(d) == 4 ? 0xFFFF_FFFFL : 0xFFFFL));
        }
    }

    private long misalignedJump(long d, long pc) {
        int raw = raw(d);
        long[] x = h.x;
        if ((raw & 0x7F) == 0x6F) {
            long imm = ((raw >> 11) & 0xFFF00000L | (raw & 0xFF000) | ((raw >>> 9) & 0x800) | ((raw >>> 20) & 0x7FE));
            imm = (imm << 43) >> 43;
            exception(Trap.INSN_MISALIGNED, pc + imm);
        }
        long a = x[(raw >>> 15) & 31];
        long b = x[(raw >>> 20) & 31];
        boolean taken = switch ((raw >>> 12) & 7) {
            case 0 -> a == b;
            case 1 -> a != b;
            case 4 -> a < b;
            case 5 -> a >= b;
            case 6 -> Long.compareUnsigned(a, b) < 0;
            default -> Long.compareUnsigned(a, b) >= 0;
        };
        if (!taken) {
            return pc + 4;
        }
        long imm = ((raw >> 19) & ~0xFFFL) | ((raw << 4) & 0x800) | ((raw >>> 20) & 0x7E0) | ((raw >>> 7) & 0x1E);
        exception(Trap.INSN_MISALIGNED, pc + imm);
        return pc;
    }

    // ---- CSRs ------------------------------------------------------------------------------

    private void csr(long d) {
        int raw = raw(d);
        int csr = raw >>> 20;
        int f3 = (raw >>> 12) & 7;
        int rs1 = (raw >>> 15) & 31;
        int rd = rd(d);
        long src = (f3 & 4) != 0 ? rs1 : h.x[rs1];
        boolean write = (f3 & 3) == 1 || rs1 != 0;
        int level = (csr >>> 8) & 3;
        if (level == 3) {
            exception(Trap.ILLEGAL_INSN, raw & 0xFFFF_FFFFL);
        }
        if (level == 2 || (level == 1 && h.priv == Hart.PRIV_U)) {
            virtualInstruction(d); // H and VS CSRs from V=1, S CSRs from VU
        }
        if (write && (csr >>> 10) == 3) {
            exception(Trap.ILLEGAL_INSN, raw & 0xFFFF_FFFFL);
        }
        long old = readCsr(csr, d);
        if (write) {
            long nv = switch (f3 & 3) {
                case 1 -> src;
                case 2 -> old | src;
                default -> old & ~src;
            };
            writeCsr(csr, nv, d);
        }
        h.x[rd] = old;
    }

    private long readCsr(int csr, long d) {
        switch (csr) {
            case Csr.FFLAGS, Csr.FRM, Csr.FCSR:
                if ((isa & IsaExtension.F.bit()) == 0) {
                    break;
                }
                fpCheck(d);
                return csr == Csr.FFLAGS ? h.fflags : csr == Csr.FRM ? h.frm : (h.frm << 5) | h.fflags;
            case Csr.CYCLE, Csr.TIME, Csr.INSTRET:
                if (!hasZicntr || (h.hcounteren & (1L << (csr - Csr.CYCLE))) == 0) {
                    virtualInstruction(d);
                }
                return csr == Csr.TIME ? timeTicks() : csr == Csr.CYCLE ? timeNs : instret + (timeNs - sliceStartNs);
            case Csr.SSTATUS: {
                long s = h.vsstatus;
                return (s & (Csr.SSTATUS_FS)) == Csr.SSTATUS_FS ? s | Csr.SSTATUS_SD : s & ~Csr.SSTATUS_SD;
            }
            case Csr.SIE: return (h.hie & h.hideleg) >>> 1;
            case Csr.SIP: return pendingVs() >>> 1;
            case Csr.STVEC: return h.vstvec;
            case Csr.SCOUNTEREN: return h.scounteren;
            case Csr.SENVCFG: return h.senvcfg;
            case Csr.SSCRATCH: return h.vsscratch;
            case Csr.SEPC: return h.vsepc;
            case Csr.SCAUSE: return h.vscause;
            case Csr.STVAL: return h.vstval;
            case Csr.SATP: return h.vsatp;
            case Csr.STIMECMP:
                if (!sstcActive()) {
                    virtualInstruction(d);
                }
                return h.vstimecmp;
            default:
                if (csr >= Csr.HPMCOUNTER3 && csr <= Csr.HPMCOUNTER31) {
                    virtualInstruction(d); // hcounteren leaves them to the hypervisor (KVM's PMU)
                }
                break;
        }
        exception(Trap.ILLEGAL_INSN, raw(d) & 0xFFFF_FFFFL);
        return 0;
    }

    private void writeCsr(int csr, long v, long d) {
        switch (csr) {
            case Csr.FFLAGS -> { h.fflags = (int) v & 31; h.fpDirty(); }
            case Csr.FRM -> { h.frm = (int) v & 7; h.fpDirty(); }
            case Csr.FCSR -> { h.fflags = (int) v & 31; h.frm = (int) (v >>> 5) & 7; h.fpDirty(); }
            case Csr.SSTATUS -> {
                long s = (h.vsstatus & ~Csr.SSTATUS_WRITABLE) | (v & Csr.SSTATUS_WRITABLE);
                if ((isa & IsaExtension.F.bit()) == 0) {
                    s &= ~Csr.SSTATUS_FS;
                }
                h.vsstatus = (s & Csr.SSTATUS_FS) == Csr.SSTATUS_FS ? s | Csr.SSTATUS_SD : s & ~Csr.SSTATUS_SD;
                flushMicroTlb();
                breakOut = true;
            }
            case Csr.SIE -> {
                h.hie = (h.hie & ~Csr.VS_IRQS) | ((v << 1) & Csr.VS_IRQS & h.hideleg);
                breakOut = true;
            }
            case Csr.SIP -> {
                h.hvip = (h.hvip & ~VSSIP) | ((v << 1) & VSSIP);
                breakOut = true;
            }
            case Csr.STVEC -> h.vstvec = v & ~2L;
            case Csr.SCOUNTEREN -> h.scounteren = v & 0xFFFF_FFFFL;
            case Csr.SENVCFG -> h.senvcfg = v & 1;
            case Csr.SSCRATCH -> h.vsscratch = v;
            case Csr.SEPC -> h.vsepc = v & ~1L;
            case Csr.SCAUSE -> h.vscause = v;
            case Csr.STVAL -> h.vstval = v;
            case Csr.SATP -> {
                int mode = (int) (v >>> 60);
                if (mode == Csr.SATP_MODE_BARE || mode == Csr.SATP_MODE_SV39 || mode == Csr.SATP_MODE_SV48
                        || mode == Csr.SATP_MODE_SV57) {
                    h.vsatp = mode == Csr.SATP_MODE_BARE ? 0 : v;
                    flushMicroTlb();
                }
            }
            case Csr.STIMECMP -> {
                h.vstimecmp = v;
                breakOut = true;
            }
            default -> { }
        }
    }

    // ---- traps -----------------------------------------------------------------------------

    /** Enters VS-mode for a trap the guest owns (vsepc = h.pc). */
    public void enterVs(long cause, long tval) {
        h.vsepc = h.pc;
        h.vscause = cause;
        h.vstval = tval;
        long s = h.vsstatus;
        s = (s & ~Csr.SSTATUS_SPP) | (h.priv == Hart.PRIV_S ? Csr.SSTATUS_SPP : 0);
        s = (s & ~Csr.SSTATUS_SPIE) | ((s & Csr.SSTATUS_SIE) != 0 ? Csr.SSTATUS_SPIE : 0);
        s &= ~Csr.SSTATUS_SIE;
        h.vsstatus = s;
        setPriv(Hart.PRIV_S);
        long base = h.vstvec & ~3L;
        boolean vectored = (h.vstvec & 3) == 1 && cause < 0;
        h.pc = vectored ? base + 4 * (cause & 0xFFF) : base;
        h.resValid = false;
    }

    /** A synchronous exception: into the guest if hedeleg delegates it, else an exit. Never returns. */
    private void exception(int cause, long tval) {
        if (((h.hedeleg >>> cause) & 1) != 0) {
            if (h.pc == (h.vstvec & ~3L) && h.vscause == cause && h.vsepc == h.pc) {
                // The trap handler's first instruction raises the same trap again: the guest
                // would loop here forever (a double fault), so stop with a message instead.
                host.guestStuck(String.format("the guest's trap vector at 0x%x raises scause %d itself (stval 0x%x):"
                        + " it can make no progress", h.pc, cause, tval));
                stopped = true;
                throw Unwind.EXITED;
            }
            enterVs(cause, tval);
            throw Unwind.GUEST_TRAP;
        }
        exitOrTrap(cause, tval);
    }

    private void exitOrTrap(int cause, long tval) {
        if (((h.hedeleg >>> cause) & 1) != 0) {
            enterVs(cause, tval);
            throw Unwind.GUEST_TRAP;
        }
        exitToHost(cause, tval, 0, 0, 0, 0);
    }

    private void virtualInstruction(long d) {
        long bits = raw(d) & (length(d) == 4 ? 0xFFFF_FFFFL : 0xFFFFL);
        if (op(d) != CSR && op(d) != WFI && op(d) != VIRTUAL && op(d) != SFENCE_VMA && op(d) != SRET) {
            bits = rawInstructionAt(h.pc) & 0xFFFF_FFFFL;
        }
        exitToHost(Trap.VIRTUAL_INSN, bits, 0, 0, 0, length(d));
    }

    private void guestPageFault(int cause, long va, long gpa, int htinst, int len) {
        exitToHost(cause, va, gpa >>> 2, htinst, gpa, len);
    }

    /** A trap into HS-mode: records the HS trap CSRs and hands it to the hypervisor. Never returns normally. */
    private void exitToHost(long cause, long stval, long htval, long htinst, long context, int len) {
        h.hsScause = cause;
        h.hsStval = stval;
        h.hsSepc = h.pc;
        h.htval = htval;
        h.htinst = htinst;
        boolean go = host.trapToHypervisor(cause, stval, htval, htinst, context, len);
        if (!go) {
            stopped = true;
        }
        breakOut = true;
        throw Unwind.EXITED;
    }

    /** For exit handlers: a trap the hypervisor redirects into the guest (KVM's kvm_riscv_vcpu_trap_redirect). */
    public void redirectTrap(int cause, long tval) {
        enterVs(cause, tval);
    }
}
