/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

import java.util.Map;
import java.util.WeakHashMap;

import io.hvdbg.x86.cpu.BlockRunner;
import io.hvdbg.x86.cpu.JitAccess;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * The x86 block compiler's entry for one vCPU: counts arrivals at each instruction of a decoded
 * 64-bit code page and, at the threshold, compiles a block there ({@link BlockCompiler}), then
 * runs it whenever the interpreter arrives again. Blocks hang off the DecodeCache's page array:
 * when guest code is written the DecodeCache drops that array and its blocks go with it, so
 * compiled code never outlives the bytes it was made from. Only 64-bit code is compiled (the
 * decoded form carries its mode), and the interpreter calls in only while no breakpoint,
 * watchpoint, single-step or pending interrupt needs it between instructions.
 */
public final class X86Jit implements BlockRunner {
    /** Default arrivals at an instruction before a block is compiled there. */
    public static final int DEFAULT_THRESHOLD = 1000;
    /** Largest threshold (arrivals are counted in a char per byte offset). */
    public static final int MAX_THRESHOLD = 65535;

    private final BlockCompiler compiler = new BlockCompiler();
    private final int threshold;
    private final JitState state;
    private final X86Vcpu vcpu;
    private final Map<Object[], PageBlocks> pages = new WeakHashMap<>();
    private Object[] lastPage;
    private PageBlocks last;
    private long blockRuns;
    private long compiledInstructions;

    private static final class PageBlocks {
        final char[] heat = new char[4096];
        /** Compiled blocks by start offset (allocated with the page's first block). */
        Block[] blocks;
    }

    public X86Jit(X86Vcpu vcpu, int threshold) {
        if (threshold < 1 || threshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("JIT threshold " + threshold + " is not in 1.." + MAX_THRESHOLD);
        }
        this.vcpu = vcpu;
        this.threshold = threshold;
        this.state = new JitState(vcpu.regs, JitAccess.tlbReadTags(vcpu), JitAccess.tlbWriteTags(vcpu),
                JitAccess.tlbData(vcpu), JitAccess.tlbOffsets(vcpu), JitAccess.tlbSpaces(vcpu));
    }

    /** Turns compiled code on for a vCPU (or off with {@code on == false}). */
    public static void install(X86Vcpu v, boolean on, int threshold) {
        v.setBlockRunner(on ? new X86Jit(v, threshold) : null);
    }

    @Override
    public long run(X86Vcpu v, Object[] codePage, int offset, long limit) {
        if (limit < 2) {
            return 0; // single-stepping (or the last instruction of a slice): the interpreter's
        }
        PageBlocks p = last;
        if (codePage != lastPage) {
            p = pages.get(codePage);
            if (p == null) {
                p = new PageBlocks();
                pages.put(codePage, p);
            }
            lastPage = codePage;
            last = p;
        }
        Block[] blocks = p.blocks;
        Block b = blocks == null ? null : blocks[offset];
        if (b == null) {
            if (p.heat[offset] < threshold && ++p.heat[offset] < threshold) {
                return 0;
            }
            if (!JitAccess.isInsn(codePage[offset])) {
                return 0; // not decoded yet (the interpreter's fetch does that): compile on the next arrival
            }
            if (blocks == null) {
                blocks = p.blocks = new Block[4096];
            }
            b = compiler.compile(codePage, offset);
            blocks[offset] = b;
        }
        if (b.code == null || b.length > limit) {
            return 0;
        }
        JitState s = state;
        s.pcid = JitAccess.tlbCurrentSpace(v);
        s.userBit = JitAccess.userBit(v);
        s.ccOp = JitAccess.ccOp(v);
        s.ccA = JitAccess.ccA(v);
        s.ccB = JitAccess.ccB(v);
        s.ccRes = JitAccess.ccRes(v);
        s.ccSize = JitAccess.ccSize(v);
        s.ccCarry = JitAccess.ccCarry(v);
        s.ccEager = JitAccess.ccEager(v);
        long page = v.rip >>> 12;
        long pc = v.rip;
        long total = 0;
        while (true) {
            // Blocks chain within the page without going back to the interpreter loop: nothing
            // it checks between instructions can change inside compiled code.
            long k = b.code.run(s, pc, limit - total);
            blockRuns++;
            total += k;
            pc = s.rip;
            if (k == 0 || (pc >>> 12) != page) {
                break;
            }
            b = blocks[(int) pc & 0xFFF];
            if (b == null || b.code == null || b.length > limit - total) {
                break;
            }
        }
        compiledInstructions += total;
        JitAccess.setLazyFlags(v, s.ccOp, s.ccA, s.ccB, s.ccRes, s.ccSize, s.ccCarry, s.ccEager);
        v.rip = pc;
        return total;
    }

    /** Option jit: on (default) runs hot 64-bit code as compiled blocks, off interprets everything. */
    public static boolean parseOption(String s) {
        return switch (s) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("bad value '" + s + "' for option jit (on or off)");
        };
    }

    /** Option jit-threshold: arrivals at an instruction before a block is compiled there. */
    public static int parseThreshold(String s) {
        try {
            int t = Integer.parseInt(s);
            if (t >= 1 && t <= MAX_THRESHOLD) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad value '" + s + "' for option jit-threshold (1.." + MAX_THRESHOLD + ")");
    }

    public int threshold() {
        return threshold;
    }

    /** Blocks compiled so far (for tests and statistics). */
    public int compiledBlocks() {
        return compiler.compiledCount();
    }

    /** Block runs so far. */
    public long blockRuns() {
        return blockRuns;
    }

    /** Guest instructions retired in compiled code so far. */
    public long compiledInstructions() {
        return compiledInstructions;
    }

    X86Vcpu vcpu() {
        return vcpu;
    }
}
